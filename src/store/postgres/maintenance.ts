import type { Db } from './db.js';

const BATCH = 1000;

// Dedupe keys of events older than the purge's moment: their events are gone or about to go.
export const FORGET_DEDUPE = `
  DELETE FROM dedupe_keys WHERE dedupe_key = ANY (ARRAY(
    SELECT dedupe_key FROM dedupe_keys WHERE received_at < $1 ORDER BY received_at LIMIT ${BATCH}))`;

// The counter rows of server processes that have ended fold into shard 0 (DELETE ... RETURNING
// gives each row's latest value, so nothing counted is lost even if a new process reuses a pid).
export const FOLD_COUNTS = `
  WITH gone AS (
    DELETE FROM delivery_counts
    WHERE shard <> 0 AND shard NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
    RETURNING destination, status, n)
  INSERT INTO delivery_counts AS c (shard, destination, status, n)
  SELECT 0, destination, status, sum(n) FROM gone GROUP BY destination, status ORDER BY 2, 3
  ON CONFLICT (shard, destination, status) DO UPDATE SET n = c.n + EXCLUDED.n`;

/**
 * Housekeeping after a purge, each statement short: dedupe keys of events before `before`, and
 * the counter rows of ended connections. (Order keys with nothing open are forgotten as their last
 * delivery finishes: complete.ts.)
 */
export async function maintain(db: Db, before: Date): Promise<void> {
  while (((await db.query(FORGET_DEDUPE, [before])).rowCount ?? 0) === BATCH);
  await db.query(FOLD_COUNTS);
}
