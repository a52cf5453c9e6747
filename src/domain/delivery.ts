import type { RelayEvent } from './event.js';

export const DELIVERY_STATUSES = ['pending', 'delivering', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery the router decided on, before it is stored. */
export interface PlannedDelivery {
  /** UUIDv7; also the `webhook-id` receivers deduplicate on, stable across retries. */
  id: string;
  destination: string;
  /** Name of the route that chose it; null for the fallback. */
  route: string | null;
  /**
   * Deliveries with the same key are sent one at a time in arrival order (a Slack thread per
   * session and channel). Null: no ordering.
   */
  orderKey: string | null;
}

export interface Delivery extends PlannedDelivery {
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * How many times an admin replayed it after it was delivered. Each of those replays is a new
   * message with an id of its own (message-id.ts); a replay of a dead or pending delivery sends
   * the same message again and is not counted.
   */
  replays: number;
}

/** A delivery claimed by a worker, with its event, ready to send. */
export interface ClaimedDelivery extends Delivery {
  event: RelayEvent;
  /** Which claim of this delivery this is: finishing, deferring and renewing must name it. */
  claim: number;
}

export type AttemptOutcome = 'success' | 'retry' | 'permanent';

export interface AttemptRecord {
  /**
   * Which attempt this was: the `attempts` of the ClaimedDelivery the worker got. Given, the store
   * ignores the completion if the delivery has been claimed again since (the lease ran out and
   * another worker took it over). Workers should always pass it.
   */
  attempt?: number;
  /**
   * The ClaimedDelivery's `claim`. Stronger than `attempt`, which a replay resets: given, the store
   * ignores the completion unless this very claim is still the current one.
   */
  claim?: number;
  startedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  statusCode?: number | null;
  /** Trimmed; never contains secrets. */
  error?: string | null;
}
