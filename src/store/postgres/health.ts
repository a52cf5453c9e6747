import type { Db } from './db.js';

/** Events received at or after `since`, counted up to `cap` (the health strip's intake figure). */
export async function countEventsSince(db: Db, since: Date, cap: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE received_at >= $1 LIMIT $2) e', [since, Math.max(0, Math.trunc(cap))]);
  return rows[0]!.n;
}
