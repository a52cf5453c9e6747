import type { Database } from 'better-sqlite3';
import type { PurgeBatch, PurgeQuery } from '../store.js';
import { prepared } from './prepared.js';

/** Events one purge batch looks at: one short write of the writer, whatever the table holds. */
export const PURGE_BATCH = 200;

// The next events before `before` in arrival order, after the cursor: each batch reads only its
// own rows (events_received), so events that must stay (dead, still pending) are passed once per
// pass, not re-read by every batch.
export const PURGE_CANDIDATES = `
  SELECT id, received_at FROM events
  WHERE received_at < @before AND (received_at, id) > (@afterAt, @afterId)
  ORDER BY received_at, id LIMIT ${PURGE_BATCH}`;

// An event with a pending or delivering delivery is never purged: it still has work to do.
// `delivered`: every delivery delivered (an unrouted event, with none, counts: nothing left to do).
// `dead`: at least one delivery dead, the others finished.
const FINISHED = `
    NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = @id AND d.status IN ('pending', 'delivering'))
    AND (   (@delivered AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = @id AND d.status = 'dead'))
         OR (@dead AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = @id AND d.status = 'dead')))`;

export const PURGE_ONE = `DELETE FROM events WHERE id = @id AND ${FINISHED}`;
export const PURGE_WOULD = `SELECT ${FINISHED} AS would`;

/**
 * One batch of a purge of finished events (their deliveries and attempts cascade). `delivered`
 * defaults to true, `dead` to false; `dryRun` counts instead of deleting. Returns how many it deleted and the cursor for the next
 * batch (null when the pass is done).
 */
export function purgeBatch(db: Database, q: PurgeQuery, cursor: PurgeBatch['next'] = null): PurgeBatch {
  const rows = prepared(db, PURGE_CANDIDATES).all({
    before: q.before.getTime(),
    afterAt: cursor ? Date.parse(cursor.receivedAt) : -1,
    afterId: cursor?.id ?? '',
  }) as { id: string; received_at: number }[];
  const flags = { delivered: q.delivered === false ? 0 : 1, dead: q.dead ? 1 : 0 };
  let deleted = 0;
  if (q.dryRun) {
    const would = prepared(db, PURGE_WOULD);
    for (const r of rows) deleted += (would.get({ id: r.id, ...flags }) as { would: number }).would;
  } else {
    const del = prepared(db, PURGE_ONE);
    for (const r of rows) deleted += del.run({ id: r.id, ...flags }).changes;
  }
  const last = rows.at(-1);
  return { deleted, next: rows.length < PURGE_BATCH || !last ? null : { receivedAt: new Date(last.received_at).toISOString(), id: last.id } };
}
