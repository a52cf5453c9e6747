import type { Database } from 'better-sqlite3';
import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import type { ReplayQuery } from '../store.js';
import { promoteNext } from './complete.js';
import { REASON_SQL } from './dead-letters.js';
import { prepared } from './prepared.js';

// In-flight deliveries (delivering) are never replayed: their worker is sending right now, and an
// expired lease is taken over by claim anyway. last_error stays, as history of why it failed.
// Only the filters given are written into the statement (the status as a literal of the fixed
// set), so each combination is driven by its index: dead letters by deliveries_dead, an event by
// deliveries_event, a time by events_received.
type ReplayFilters = Pick<ReplayQuery, 'status' | 'destination' | 'eventId' | 'since' | 'deliveryIds' | 'reason'>;

export function replayMatch(q: ReplayFilters): string {
  const where = ["d.status <> 'delivering'"];
  if (q.status) where.push(`d.status = '${DELIVERY_STATUSES.find((s) => s === q.status) ?? 'none'}'`);
  if (q.destination !== undefined) where.push('d.destination = @destination');
  if (q.eventId !== undefined) where.push('d.event_id = @eventId');
  if (q.since !== undefined) where.push('d.event_id IN (SELECT id FROM events WHERE received_at >= @since)');
  // A selection from the dashboard: each id through the deliveries' id index.
  if (q.deliveryIds !== undefined) where.push('d.id IN (SELECT value FROM json_each(@ids))');
  if (q.reason !== undefined) where.push(`d.status = 'dead' AND ${REASON_SQL} = @reason`);
  return `FROM deliveries d WHERE ${where.join(' AND ')}`;
}

/** The bound values of replayMatch's statement. */
export function replayParams(q: ReplayFilters): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (q.destination !== undefined) params['destination'] = q.destination;
  if (q.eventId !== undefined) params['eventId'] = q.eventId;
  if (q.since !== undefined) params['since'] = q.since.getTime();
  if (q.deliveryIds !== undefined) params['ids'] = JSON.stringify(q.deliveryIds);
  if (q.reason !== undefined) params['reason'] = q.reason;
  return params;
}

// Unordered: due now. Ordered and already open (a retrying head, or one waiting): keeps its place,
// only its attempts reset (a head is due now). Ordered and finished: reopened as waiting; then
// reheadKey makes the key's earliest open delivery its head (unless the head is in flight).
export const REPLAY_RESET = `
  UPDATE deliveries
  SET status = 'pending', attempts = 0, lease_until = NULL, next_attempt_at = @now, updated_at = @now,
      replays = replays + (status = 'delivered'),
      due_at = CASE WHEN order_key IS NULL OR due_at IS NOT NULL THEN @now ELSE NULL END
  WHERE seq = @seq`;

export const KEY_HEAD = `
  SELECT seq, status FROM deliveries WHERE order_key = ? AND status IN ('pending', 'delivering') AND due_at IS NOT NULL LIMIT 1`;

// The earliest open delivery of a key (the first entry of deliveries_open_order).
export const KEY_FIRST_OPEN = `
  SELECT seq FROM deliveries WHERE order_key = ? AND status IN ('pending', 'delivering') ORDER BY seq LIMIT 1`;

// A head that has not been claimed steps back behind an earlier delivery replayed into its key.
export const DEMOTE = 'UPDATE deliveries SET due_at = NULL, updated_at = ? WHERE seq = ?';

/** How many deliveries one replay batch resets: a batch is one short write of the writer. */
export const REPLAY_BATCH = 500;

/**
 * Puts matching deliveries back to pending, due now, attempts reset: the next batch of them in
 * creation order after `afterSeq`. Returns how many it reset and where the next batch starts;
 * fewer than REPLAY_BATCH means it was the last. (A dry run counts `SELECT count(*) ${replayMatch}`.)
 */
export function replay(db: Database, q: ReplayQuery, afterSeq = 0): { n: number; lastSeq: number } {
  const params = replayParams(q);
  const match = replayMatch(q);
  const now = q.now.getTime();
  const rows = prepared(db, `SELECT d.seq, d.status, d.order_key ${match} AND d.seq > @after ORDER BY d.seq LIMIT ${REPLAY_BATCH}`).all({ ...params, after: afterSeq }) as { seq: number; status: string; order_key: string | null }[];
  const reset = prepared(db, REPLAY_RESET);
  const reopened = new Set<string>();
  for (const r of rows) {
    reset.run({ seq: r.seq, now });
    if (r.order_key !== null && r.status !== 'pending') reopened.add(r.order_key);
  }
  for (const key of reopened) reheadKey(db, key, now);
  return { n: rows.length, lastSeq: rows.at(-1)?.seq ?? afterSeq };
}

/**
 * After a replay reopened deliveries of `key`: its head is its earliest open delivery again, so
 * a thread's messages go in order. A key with no head gets one; a head not yet claimed that comes
 * after a replayed delivery waits behind it (keeping its own next attempt time); a head in
 * flight cannot be called back, and the earliest waiting goes right after it.
 */
export function reheadKey(db: Database, key: string, now: number): void {
  const head = prepared(db, KEY_HEAD).get(key) as { seq: number; status: string } | undefined;
  if (head?.status === 'delivering') return;
  if (head) {
    const first = prepared(db, KEY_FIRST_OPEN).get(key) as { seq: number };
    if (first.seq === head.seq) return;
    prepared(db, DEMOTE).run(now, head.seq);
  }
  promoteNext(db, key, now);
}
