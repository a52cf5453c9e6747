import type { Db } from './db.js';

// An event with a pending or delivering delivery is never purged: it still has work to do.
// `delivered`: every delivery delivered (an unrouted event, with none, counts: nothing left to do).
// `dead`: at least one delivery dead, the others finished.
const WHERE = `
  WHERE received_at < $1
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status IN ('pending', 'delivering'))
    AND (   ($2 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'dead'))
         OR ($3 AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'dead')))`;
const PURGE = `DELETE FROM events ${WHERE}`;
const COUNT = `SELECT count(*)::int AS n FROM events ${WHERE}`;

/** Deletes finished events (their deliveries and attempts cascade). `delivered` defaults to true, `dead` to false. */
export async function purge(db: Db, q: { before: Date; dead?: boolean; delivered?: boolean; dryRun?: boolean }): Promise<number> {
  const params = [q.before, q.delivered !== false, q.dead === true];
  if (q.dryRun) return (await db.query<{ n: number }>(COUNT, params)).rows[0]?.n ?? 0;
  return (await db.query(PURGE, [q.before, q.delivered !== false, q.dead === true])).rowCount ?? 0;
}
