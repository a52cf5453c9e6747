import type { ReplayQuery } from '../store.js';
import { REASON_SQL } from './dead-letters.js';
import type { Db } from './db.js';

// In-flight deliveries (delivering) are never replayed: their worker is sending right now, and an
// expired lease is taken over by claim anyway. last_error stays, as history of why it failed.
const MATCH = `
  FROM deliveries d
  WHERE d.status <> 'delivering'
    AND ($1::text IS NULL OR d.status = $1)
    AND ($2::text IS NULL OR d.destination = $2)
    AND ($3::text IS NULL OR d.event_id = $3)
    AND ($4::timestamptz IS NULL OR d.event_id IN (SELECT id FROM events WHERE received_at >= $4))
    AND ($5::text[] IS NULL OR d.id = ANY ($5::text[]))
    AND ($6::text IS NULL OR (d.status = 'dead' AND ${REASON_SQL} = $6))`;

const COUNT = `SELECT count(*)::int AS n ${MATCH}`;
// The status re-check on the row itself: a delivery claimed since this statement's snapshot is left alone.
const RESET = `
  UPDATE deliveries SET status = 'pending', next_attempt_at = $7, attempts = 0, lease_until = NULL, updated_at = $7
  WHERE status <> 'delivering' AND id IN (SELECT d.id ${MATCH})`;

/** Puts matching deliveries back to pending, due now, attempts reset. Returns how many (dryRun: would). */
export async function replay(db: Db, q: ReplayQuery): Promise<number> {
  const params = [q.status ?? null, q.destination ?? null, q.eventId ?? null, q.since ?? null, q.deliveryIds ?? null, q.reason ?? null];
  if (q.dryRun) return (await db.query<{ n: number }>(COUNT, params)).rows[0]!.n;
  return (await db.query(RESET, [...params, q.now])).rowCount ?? 0;
}
