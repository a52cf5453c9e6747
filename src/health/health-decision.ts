import type { DestinationHealthRecord } from '../store/health-records.js';
import type { DestinationBacklog } from '../store/store.js';

export type HealthDecision = { kind: 'failing'; since: Date } | { kind: 'recovered'; at: Date } | null;

/**
 * Whether a destination's health changes now, from its record and its backlog counters.
 *
 * Failing: deliveries wait for it (pending or delivering), nothing succeeded since `since` — the
 * later of its last success and its oldest waiting delivery's creation — `since` is at least
 * `failingAfterMs` ago, and an attempt failed after `since`. So a destination that had nothing
 * to do for hours is not failing the moment one delivery fails, and deliveries that only wait
 * (no worker runs, or the destination throttles itself) are not its failure.
 *
 * Recovered: a success after the episode began. Only a success ends an episode: a destination
 * whose deliveries all ended dead while it stayed down is still failing.
 *
 * A transition waits until the previous one is announced (record.announced).
 */
export function decideHealth(record: DestinationHealthRecord, backlog: DestinationBacklog | undefined, failingAfterMs: number, now: Date): HealthDecision {
  if (record.announced !== record.state) return null;
  if (record.state === 'failing') {
    const since = record.failingSince ? Date.parse(record.failingSince) : 0;
    if (record.lastSuccessAt && Date.parse(record.lastSuccessAt) > since) return { kind: 'recovered', at: new Date(record.lastSuccessAt) };
    return null;
  }
  const waiting = backlog ? backlog.counts.pending + backlog.counts.delivering : 0;
  if (waiting === 0 || !backlog?.oldestOpenAt || !record.lastFailureAt) return null;
  const since = Math.max(Date.parse(backlog.oldestOpenAt), record.lastSuccessAt ? Date.parse(record.lastSuccessAt) : -Infinity);
  if (now.getTime() - since < failingAfterMs) return null;
  if (Date.parse(record.lastFailureAt) <= since) return null;
  return { kind: 'failing', since: new Date(since) };
}
