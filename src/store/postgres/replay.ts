import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import type { ReplayQuery } from '../store.js';
import { REASON_SQL } from './dead-letters.js';
import type { Db } from './db.js';

/** How many deliveries one replay batch resets: one short transaction each. */
export const REPLAY_BATCH = 500;

// In-flight deliveries (delivering) are never replayed: their worker is sending right now, and an
// expired lease is taken over by claim anyway. last_error stays, as history of why it failed.
// Only the filters given are written into the statement (the status as a literal of the fixed
// set), so each combination is driven by its index (deliveries_dead, deliveries_event, events_received).
export function replayMatch(q: Pick<ReplayQuery, 'status' | 'destination' | 'eventId' | 'since' | 'deliveryIds' | 'reason'>): { sql: string; values: unknown[] } {
  const where = ["d.status <> 'delivering'"];
  const values: unknown[] = [];
  if (q.status) where.push(`d.status = '${DELIVERY_STATUSES.find((s) => s === q.status) ?? 'none'}'`);
  if (q.destination !== undefined) where.push(`d.destination = $${values.push(q.destination)}`);
  if (q.eventId !== undefined) where.push(`d.event_id = $${values.push(q.eventId)}`);
  if (q.since !== undefined) where.push(`d.event_id IN (SELECT id FROM events WHERE received_at >= $${values.push(q.since)})`);
  // A selection from the dashboard: each id through the deliveries' id index.
  if (q.deliveryIds !== undefined) where.push(`d.id = ANY ($${values.push(q.deliveryIds)}::text[])`);
  if (q.reason !== undefined) where.push(`d.status = 'dead' AND ${REASON_SQL} = $${values.push(q.reason)}`);
  return { sql: `FROM deliveries d WHERE ${where.join(' AND ')}`, values };
}

export async function countReplay(db: Db, q: ReplayQuery): Promise<number> {
  const m = replayMatch(q);
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${m.sql}`, m.values)).rows[0]!.n;
}

// Unordered: due now. Ordered and already open (a retrying head, or one waiting): keeps its place,
// only its attempts reset (a head is due now). Ordered and finished: reopened as waiting, and
// counted back into its key below. The status is re-checked on the row itself: a delivery claimed
// since this statement's snapshot is left alone. A delivered one counts a replay: it goes out as a
// new message (domain/message-id.ts); a dead or pending one sends the same message again.
export const replayReset = (match: string, n: number): string => `
  WITH t AS (SELECT coalesce($${n + 2}::timestamptz, now()) AS now),
  m AS (SELECT d.seq, d.status AS was ${match} AND d.seq > $${n + 1} ORDER BY d.seq LIMIT ${REPLAY_BATCH} FOR UPDATE OF d)
  UPDATE deliveries d
  SET status = 'pending', attempts = 0, lease_until = NULL, next_attempt_at = t.now, updated_at = t.now,
      replays = d.replays + CASE WHEN m.was = 'delivered' THEN 1 ELSE 0 END,
      due_at = CASE WHEN d.order_key IS NULL OR d.due_at IS NOT NULL THEN t.now END
  FROM m, t WHERE d.seq = m.seq AND d.status <> 'delivering'
  RETURNING d.seq, d.order_key, m.was`;

// Keys that got finished deliveries back: their counts grow (rows upserted in key order).
export const REOPEN_KEYS = `
  INSERT INTO order_queues AS q (order_key, open)
  SELECT k, count(*) FROM unnest($1::text[]) AS k GROUP BY k ORDER BY k
  ON CONFLICT (order_key) DO UPDATE SET open = q.open + EXCLUDED.open
  RETURNING q.order_key, q.open`;

// Keys that got earlier deliveries back: a head not yet claimed that comes after the earliest
// waiting delivery steps back (due_at NULL, its next attempt time kept for its promotion), so that
// one is promoted instead. A head in flight stays (re-checked on the row: a claim may have taken it
// since this statement's snapshot). $2: the moment.
export const STEP_BACK = `
  UPDATE deliveries d SET due_at = NULL, updated_at = coalesce($2::timestamptz, now())
  WHERE d.status = 'pending' AND d.due_at IS NOT NULL AND d.seq = ANY (ARRAY(
    SELECT h.seq FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k) k
    CROSS JOIN LATERAL (
      SELECT w.seq FROM deliveries w WHERE w.order_key = k.k AND w.status = 'pending' AND w.due_at IS NULL ORDER BY w.seq LIMIT 1) first
    CROSS JOIN LATERAL (
      SELECT h.seq FROM deliveries h WHERE h.order_key = k.k AND h.order_key IS NOT NULL AND h.due_at IS NOT NULL AND h.status = 'pending' AND h.seq > first.seq) h))
  RETURNING d.order_key`;

/**
 * One batch of a replay, inside the caller's transaction: the next REPLAY_BATCH matching
 * deliveries after `afterSeq`, then their keys' counts, then the heads that step back, then (a new
 * snapshot) the promotion of a head for each key that had none or whose head stepped back. Returns how many it reset and the last seq it looked at.
 */
export async function replayBatch(db: Db, q: ReplayQuery, afterSeq: string, now: Date | null, promote: (keys: string[]) => Promise<void>): Promise<{ n: number; lastSeq: string }> {
  const m = replayMatch(q);
  const { rows } = await db.query<{ seq: string; order_key: string | null; was: string }>(replayReset(m.sql, m.values.length), [...m.values, afterSeq, now]);
  const reopened = rows.filter((r) => r.order_key !== null && r.was !== 'pending').map((r) => r.order_key!);
  if (reopened.length > 0) {
    const added = new Map<string, number>();
    for (const k of reopened) added.set(k, (added.get(k) ?? 0) + 1);
    const counts = await db.query<{ order_key: string; open: number }>(REOPEN_KEYS, [reopened]);
    const headless = counts.rows.filter((r) => r.open === added.get(r.order_key)).map((r) => r.order_key);
    const stepped = await db.query<{ order_key: string }>(STEP_BACK, [[...added.keys()], now]);
    const promoted = [...headless, ...stepped.rows.map((r) => r.order_key)];
    if (promoted.length > 0) await promote(promoted);
  }
  const last = rows.reduce((max, r) => (BigInt(r.seq) > BigInt(max) ? r.seq : max), afterSeq);
  return { n: rows.length, lastSeq: last };
}
