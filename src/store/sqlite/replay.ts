import type { Database } from 'better-sqlite3';
import type { ReplayQuery } from '../store.js';
import { REASON_SQL } from './dead-letters.js';
import { prepared } from './prepared.js';

// In-flight deliveries (delivering) are never replayed: their worker is sending right now, and an
// expired lease is taken over by claim anyway. last_error stays, as history of why it failed.
const MATCH = `
  FROM deliveries d
  WHERE d.status <> 'delivering'
    AND (@status IS NULL OR d.status = @status)
    AND (@destination IS NULL OR d.destination = @destination)
    AND (@eventId IS NULL OR d.event_id = @eventId)
    AND (@since IS NULL OR d.event_id IN (SELECT id FROM events WHERE received_at >= @since))
    AND (@ids IS NULL OR d.id IN (SELECT value FROM json_each(@ids)))
    AND (@reason IS NULL OR (d.status = 'dead' AND ${REASON_SQL} = @reason))`;

const COUNT = `SELECT count(*) AS n ${MATCH}`;
const RESET = `
  UPDATE deliveries SET status = 'pending', next_attempt_at = @now, attempts = 0, lease_until = NULL, updated_at = @now
  WHERE id IN (SELECT d.id ${MATCH})`;

/** Puts matching deliveries back to pending, due now, attempts reset. Returns how many (dryRun: would). */
export function replay(db: Database, q: ReplayQuery): number {
  const params = {
    status: q.status ?? null,
    destination: q.destination ?? null,
    eventId: q.eventId ?? null,
    since: q.since?.getTime() ?? null,
    ids: q.deliveryIds === undefined ? null : JSON.stringify(q.deliveryIds),
    reason: q.reason ?? null,
  };
  if (q.dryRun) return (prepared(db, COUNT).get(params) as { n: number }).n;
  return db.transaction(() => prepared(db, RESET).run({ ...params, now: q.now.getTime() }).changes).immediate();
}
