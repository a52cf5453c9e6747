import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

// An event with a pending or delivering delivery is never purged: it still has work to do.
// `delivered`: every delivery delivered (an unrouted event, with none, counts: nothing left to do).
// `dead`: at least one delivery dead, the others finished.
const WHERE = `
  WHERE received_at < @before
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status IN ('pending', 'delivering'))
    AND (   (@delivered AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'dead'))
         OR (@dead AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'dead')))`;
const PURGE = `DELETE FROM events ${WHERE}`;
const COUNT = `SELECT count(*) AS n FROM events ${WHERE}`;

/** Deletes finished events (their deliveries and attempts cascade). `delivered` defaults to true, `dead` to false. */
export function purge(db: Database, q: { before: Date; dead?: boolean; delivered?: boolean; dryRun?: boolean }): number {
  const params = { before: q.before.getTime(), delivered: q.delivered === false ? 0 : 1, dead: q.dead ? 1 : 0 };
  if (q.dryRun) return (prepared(db, COUNT).get(params) as { n: number }).n;
  return db.transaction(() => prepared(db, PURGE).run(params).changes).immediate();
}
