import type { AttemptRecord, ClaimedDelivery, Delivery, DeliveryStatus, PlannedDelivery } from '../domain/delivery.js';
import type { RelayEvent } from '../domain/event.js';
import type { DeadReason } from '../domain/dead-reason.js';
import type {
  DeadLetter,
  DeadLetterCursor,
  DeadLetterGroup,
  DeadLetterQuery,
  DestinationHealth,
  EventCursor,
  EventPageQuery,
  Page,
  RejectedPageQuery,
} from './admin-types.js';
import type { DueWatch, SessionCursor, SessionPageQuery, SessionRecord, SessionSummary, SessionTouch, WatchMark } from '../sessions/session-types.js';

/**
 * The store port. Every engine (SQLite, PostgreSQL) passes the same contract suite in
 * test/contract/store.contract.ts. All methods are async so that a networked engine fits.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * A claim submitted while an ingest waits for its commit joins that commit and sees its
   * deliveries (SQLite's writer runs a batch's claims after its ingests), so the intake wakes the
   * worker before the commit rather than after.
   */
  readonly claimJoinsIngest: boolean;

  /** Apply pending migrations. Idempotent. Returns the names of those applied now (none: up to date). */
  migrate(): Promise<string[]>;

  /**
   * Store the event and its deliveries in one transaction, durably (the commit has reached the
   * disk) before resolving. If an event with the same dedupe key was received at or after
   * `dedupeSince`, nothing is stored and the first event's id is returned with `duplicate: true`.
   * Throws StoreUnavailableError when the store cannot take it.
   * `session` (session-touch.ts): the event's contribution to its session's record and the
   * expectation watches it opens or satisfies, written in the same transaction (a duplicate
   * writes none of it).
   */
  ingest(event: RelayEvent, deliveries: PlannedDelivery[], opts: IngestOptions): Promise<IngestResult>;

  /**
   * Claim up to `limit` due deliveries (pending with next_attempt_at <= now, or delivering with an
   * expired lease), mark them delivering with lease_until = now + leaseMs, attempts + 1.
   * Ordering: a delivery with an orderKey is claimable only if no earlier delivery (by creation
   * order) with the same orderKey is still pending or delivering; at most one per orderKey per call.
   * `skipDestinations`: destinations that are at their concurrency cap right now;
   * `destinationSlots`: how many more each destination may take in this call; `otherSlots`: how
   * many each destination not named there may take (default: `limit`).
   */
  claim(opts: ClaimOptions): Promise<ClaimedDelivery[]>;

  /** The attempt succeeded: status delivered. */
  succeed(deliveryId: string, attempt: AttemptRecord): Promise<void>;
  /** Retry at `nextAttemptAt`: status pending, lease cleared, last_error set. */
  retryLater(deliveryId: string, nextAttemptAt: Date, attempt: AttemptRecord): Promise<void>;
  /** Give up: status dead with the reason in last_error. */
  kill(deliveryId: string, reason: string, attempt: AttemptRecord): Promise<void>;
  /**
   * Hand a claimed delivery back untried (its destination throttled itself): pending at `until`,
   * the claim's attempt not counted, nothing recorded. A no-op if the claim (`attempt`) was lost.
   */
  defer(deliveryId: string, until: Date, claim: number): Promise<void>;
  /**
   * Extend a lease still held (long sends). With `claim`, only that claim's lease: a worker whose
   * claim was taken over cannot keep the new holder's lease alive. Returns whether it extended.
   */
  extendLease(deliveryId: string, leaseUntil: Date, claim?: number): Promise<boolean>;

  /** Keep an authenticated body that failed to parse or validate. Bounded: oldest dropped past `keep`. */
  recordRejected(r: RejectedInput, keep: number): Promise<void>;
  listRejected(limit: number): Promise<RejectedRecord[]>;

  getEvent(id: string): Promise<RelayEvent | null>;
  listEvents(q: EventQuery): Promise<EventSummary[]>;
  listDeliveries(eventId: string): Promise<Delivery[]>;
  listAttempts(deliveryId: string): Promise<(AttemptRecord & { attempt: number })[]>;
  /**
   * Earliest next_attempt_at among pending deliveries (or lease end), so a worker knows when to
   * wake. With `after`: the earliest strictly later than it (due work that is blocked, behind its
   * order key or a full destination, must not hide a sooner future one).
   */
  nextDueAt(after?: Date): Promise<Date | null>;

  /** Put matching deliveries back to pending, due now, attempts reset. Returns how many (dryRun: would). */
  replay(q: ReplayQuery): Promise<number>;

  // The admin API's reads (admin-types.ts): index-driven and bounded, whatever is stored.
  /** Events newest first, by (receivedAt, id), filtered, cut at `before`. */
  pageEvents(q: EventPageQuery): Promise<Page<EventSummary, EventCursor>>;
  /** Dead deliveries, newest event first. */
  pageDeadLetters(q: DeadLetterQuery): Promise<Page<DeadLetter, DeadLetterCursor>>;
  /** Dead deliveries counted by destination and reason, most first. */
  deadLetterGroups(q: { destination?: string }): Promise<{ groups: DeadLetterGroup[]; truncated: boolean }>;
  /** Backlog and dead count of each named destination, counted up to HEALTH_CAP. */
  destinationHealth(destinations: string[]): Promise<DestinationHealth[]>;
  /** Events received at or after `since`, counted up to `cap`. */
  countEventsSince(since: Date, cap: number): Promise<number>;
  /** Rejected bodies newest first, cut at `before`. */
  pageRejected(q: RejectedPageQuery): Promise<RejectedRecord[]>;
  /**
   * Delete finished events (all deliveries delivered, or with `dead` some dead) received before
   * `before`, in small batches that each hold the write lock only briefly. Returns how many
   * (dryRun: would be).
   */
  purge(q: PurgeQuery): Promise<number>;

  /** Key/value state of destinations (Slack thread ts per session and channel). */
  getState(key: string): Promise<string | null>;
  /**
   * Set only if absent; returns the value in force (the existing one if there was one). Either
   * way the key counts as used now for purgeState.
   */
  putStateIfAbsent(key: string, value: string): Promise<string>;
  /** Set (or replace) the value; the key counts as used now for purgeState. */
  setState(key: string, value: string): Promise<void>;
  /** Delete state not set or used since before `before` (retention of idle sessions). Returns how many. */
  purgeState(before: Date): Promise<number>;

  /**
   * Optional: calls `onWork` when another process (a replica on the same database) commits work,
   * so its worker wakes without waiting for its idle poll. Returns the function that stops it.
   * PostgreSQL: LISTEN/NOTIFY. SQLite has no such signal (one process) and leaves it out.
   */
  subscribe?(onWork: () => void): () => void;

  // Sessions (src/sessions/): the record of each video session and its expectation watches.
  /** The session's record (a fold of its events, the same whatever order they came in), or null. */
  getSession(key: string): Promise<SessionRecord | null>;
  /** Sessions newest first, by (lastAt, key), filtered, cut at `before`; index-driven and bounded like pageEvents. */
  pageSessions(q: SessionPageQuery): Promise<Page<SessionSummary, SessionCursor>>;
  /**
   * Up to `limit` watches the watchdog must act on: waiting with dueAt <= now (earliest first),
   * then late ones (recovered owed). Read through partial indexes: the cost is what is due.
   */
  dueWatches(now: Date, limit: number): Promise<DueWatch[]>;
  /** Applies the conditional transitions in order, in one transaction; returns how many applied. */
  markWatches(marks: WatchMark[], now: Date): Promise<number>;
  /**
   * Retention: forget the records of sessions with no event since before `before` and no watch
   * still to fire or recover, in small batches. Returns how many.
   */
  purgeSessions(before: Date): Promise<number>;

  /** Deliveries by status, from counters the store keeps: a few rows read, whatever the backlog. */
  stats(): Promise<Record<DeliveryStatus, number>>;
  /** Per destination: deliveries by status and the creation time of its oldest open one. Bounded like stats(). */
  backlog(): Promise<DestinationBacklog[]>;
  /** Throws if the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface IngestOptions {
  dedupeSince: Date;
  session?: SessionTouch;
}

export interface IngestResult {
  eventId: string;
  duplicate: boolean;
  /** Deliveries created (0 for a duplicate). */
  deliveries: number;
}

export interface ClaimOptions {
  now: Date;
  limit: number;
  leaseMs: number;
  skipDestinations?: string[];
  /** Free slots per destination: at most that many of its deliveries are claimed in this call. */
  destinationSlots?: Record<string, number>;
  /** Free slots of each destination that destinationSlots does not name (one that left the rules). */
  otherSlots?: number;
}

export interface RejectedInput {
  receivedAt: string;
  code: string;
  reason: string;
  raw: Buffer;
  contentType: string | null;
  remoteAddr?: string | null;
}

export interface RejectedRecord extends RejectedInput {
  id: number;
}

export interface EventQuery {
  limit: number;
  /** Only events with at least one delivery in this status. */
  status?: DeliveryStatus;
  type?: string;
  since?: Date;
}

export interface EventSummary {
  id: string;
  type: string;
  appId: string;
  roomId: string;
  confNum: string;
  receivedAt: string;
  deliveries: Delivery[];
}

export interface PurgeQuery {
  before: Date;
  /** Events whose deliveries are all delivered (default true). */
  delivered?: boolean;
  /** Events with a dead delivery and none still open (default false). */
  dead?: boolean;
  /** Count what would go; delete nothing. */
  dryRun?: boolean;
}

/** One batch of a purge: what it deleted, and where the next batch starts (null: done). */
export interface PurgeBatch {
  deleted: number;
  next: { receivedAt: string; id: string } | null;
}

export interface DestinationBacklog {
  destination: string;
  counts: Record<DeliveryStatus, number>;
  /** Creation time of the oldest pending or delivering delivery; null when none is open. */
  oldestOpenAt: string | null;
}

export interface ReplayQuery {
  status?: DeliveryStatus;
  destination?: string;
  since?: Date;
  eventId?: string;
  /** Only these deliveries (a selection in the dashboard). */
  deliveryIds?: string[];
  /** Only dead deliveries whose last error has this reason (dead-reason.ts). */
  reason?: DeadReason;
  dryRun?: boolean;
  now: Date;
}
