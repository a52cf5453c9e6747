/**
 * What the store keeps of each destination's health (relay.destination.failing / .recovered):
 * one row per destination that has had an attempt, written from what the processes observed of
 * their attempts (at most once per watch interval each, never per attempt) and on transitions.
 */
export type HealthState = 'ok' | 'failing';

export interface DestinationHealthRecord {
  destination: string;
  state: HealthState;
  /** How many failing episodes it has had; the current (or last) one's number. */
  episode: number;
  /**
   * The state last announced. It differs from `state` between a transition and its relay event
   * being stored: whoever finds it so (after a crash, another replica) publishes it again, and
   * the publisher's `once` keeps that to one event.
   */
  announced: HealthState;
  /** The current (or last) episode: since when nothing succeeded, and the success that ended it. */
  failingSince: string | null;
  recoveredAt: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** The last few failed attempts' errors, newest last (as the attempts recorded them). */
  lastErrors: HealthError[];
}

export interface HealthError {
  at: string;
  error: string;
}

/** What one process saw of one destination's attempts since it last wrote them. */
export interface DestinationObservation {
  destination: string;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** Newest last, at most LAST_ERRORS. */
  errors: HealthError[];
}

/** How many of the last errors a record (and the failing event) keeps. */
export const LAST_ERRORS = 5;

/**
 * A conditional transition: it applies only if the record still stands as the caller read it
 * (state, episode, announced), so of two replicas deciding at once exactly one wins.
 * - `failing`: ok -> failing, episode + 1, failing since `at` (only once the last recovery is announced);
 * - `recovered`: failing -> ok, recovered at `at` (only once the failing is announced);
 * - `announced`: the relay event of the current state and episode is stored.
 */
export type HealthTransition =
  | { kind: 'failing'; destination: string; episode: number; at: Date }
  | { kind: 'recovered'; destination: string; episode: number; at: Date }
  | { kind: 'announced'; destination: string; episode: number; state: HealthState };

/** Merges errors newest last, keeping LAST_ERRORS (the tracker's and the stored, by time). */
export function mergeErrors(a: HealthError[], b: HealthError[]): HealthError[] {
  return [...a, ...b].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)).slice(-LAST_ERRORS);
}

/** The stored JSON text of last_errors, read defensively. */
export function parseErrors(text: string | null): HealthError[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((e): e is HealthError => !!e && typeof e.at === 'string' && typeof e.error === 'string') : [];
  } catch {
    return [];
  }
}
