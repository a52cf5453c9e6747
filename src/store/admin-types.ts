import type { DeadReason } from '../domain/dead-reason.js';
import type { DeliveryStatus } from '../domain/delivery.js';
import type { EventSummary } from './store.js';

/**
 * The admin API's pages (the dashboard reads them): newest first, cut by an opaque cursor, each
 * read driven by an index and bounded. A page whose filters are rare may be short, or even empty,
 * with a `next` cursor: at most SCAN_BUDGET index entries are read per page, and `next` says where
 * the reading stopped. `next` null: nothing older matches.
 */
export const SCAN_BUDGET = 2000;

/** Where a listing of events stopped: the last event read, by (receivedAt, id). */
export interface EventCursor {
  receivedAt: string;
  id: string;
}

export interface EventPageQuery {
  limit: number;
  type?: string;
  appId?: string;
  roomId?: string;
  /** Only events with at least one delivery in this status. */
  status?: DeliveryStatus;
  /** received_at >= since */
  since?: Date;
  /** received_at < until */
  until?: Date;
  /** Only events older than this one. */
  before?: EventCursor;
  /** Index entries read at most (default SCAN_BUDGET); tests make it small. */
  scanBudget?: number;
}

export interface Page<T, C> {
  items: T[];
  next: C | null;
}

/** Where a listing of dead letters stopped: the last delivery read. */
export interface DeadLetterCursor {
  createdAt: string;
  eventId: string;
  deliveryId: string;
}

export interface DeadLetterQuery {
  limit: number;
  destination?: string;
  reason?: DeadReason;
  before?: DeadLetterCursor;
  /** Index entries read at most when `reason` filters (default SCAN_BUDGET); tests make it small. */
  scanBudget?: number;
}

/** One dead delivery with what a listing shows of its event. */
export interface DeadLetter {
  eventId: string;
  type: string;
  appId: string;
  roomId: string;
  confNum: string;
  receivedAt: string;
  deliveryId: string;
  destination: string;
  route: string | null;
  attempts: number;
  lastError: string | null;
  reason: DeadReason;
  diedAt: string;
}

export interface DeadLetterGroup {
  destination: string;
  reason: DeadReason;
  count: number;
  /** Arrival of the oldest and newest event of the group. */
  oldestAt: string;
  newestAt: string;
  /** One error of the group, to read what it says. */
  sampleError: string | null;
}

/** Groups are counted over the newest GROUP_CAP dead deliveries; `truncated` when there were more. */
export const GROUP_CAP = 10_000;

export interface DestinationHealth {
  destination: string;
  /** Pending or being delivered; counted up to HEALTH_CAP (a value of HEALTH_CAP means at least). */
  unfinished: number;
  /** Arrival of the oldest unfinished delivery's event. */
  oldestUnfinishedAt: string | null;
  dead: number;
}

export const HEALTH_CAP = 10_000;

export interface RejectedPageQuery {
  limit: number;
  /** Only entries with a smaller id (older). */
  before?: number;
}

export type { EventSummary };
