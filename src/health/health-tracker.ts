import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Settled } from '../delivery/execute-delivery.js';
import { mergeErrors, type DestinationObservation, type HealthError } from '../store/health-records.js';

/** The longest error a health record keeps of one attempt (the attempt itself keeps 500). */
const MAX_ERROR = 300;

interface Seen {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

/**
 * What this process's worker saw of each destination's attempts since the health watch last
 * wrote it to the store: kept in memory, so an attempt costs a map update, never a write. A
 * deferred send (the destination throttled itself) is neither a success nor a failure. The last
 * errors are kept across writes (each write names this process's last LAST_ERRORS), the times
 * only until written.
 */
export class HealthTracker {
  private seen = new Map<string, Seen>();
  private readonly recent = new Map<string, HealthError[]>();

  constructor(private readonly onSuccess?: (destination: string) => void) {}

  settled(d: Pick<ClaimedDelivery, 'destination'>, s: Pick<Settled, 'outcome' | 'next'>, at: Date): void {
    if (s.next === 'deferred' || s.outcome.kind === 'deferred') return;
    const seen = this.entry(d.destination);
    if (s.outcome.kind === 'success') {
      if (!seen.lastSuccessAt || at > seen.lastSuccessAt) seen.lastSuccessAt = at;
      this.onSuccess?.(d.destination);
      return;
    }
    if (!seen.lastFailureAt || at > seen.lastFailureAt) seen.lastFailureAt = at;
    const recent = this.recent.get(d.destination) ?? [];
    this.recent.set(d.destination, mergeErrors(recent, [{ at: at.toISOString(), error: s.outcome.error.slice(0, MAX_ERROR) }]));
  }

  /** Everything seen since the last take, and forgotten here (give it back if writing it failed). */
  take(): DestinationObservation[] {
    const out = [...this.seen].map(([destination, s]) => ({
      destination,
      lastSuccessAt: s.lastSuccessAt,
      lastFailureAt: s.lastFailureAt,
      // Only with a new failure: the store keeps the errors of the latest one.
      errors: s.lastFailureAt ? [...(this.recent.get(destination) ?? [])] : [],
    }));
    this.seen = new Map();
    return out;
  }

  /** Observations whose write failed, merged back with what was seen meanwhile. */
  giveBack(observations: DestinationObservation[]): void {
    for (const o of observations) {
      const seen = this.entry(o.destination);
      seen.lastSuccessAt = later(seen.lastSuccessAt, o.lastSuccessAt);
      seen.lastFailureAt = later(seen.lastFailureAt, o.lastFailureAt);
    }
  }

  private entry(destination: string): Seen {
    let s = this.seen.get(destination);
    if (!s) this.seen.set(destination, (s = { lastSuccessAt: null, lastFailureAt: null }));
    return s;
  }
}

const later = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null ? a : a > b ? a : b);
