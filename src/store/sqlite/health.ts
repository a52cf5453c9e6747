import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

/** Events received at or after `since`, counted up to `cap` (the health strip's intake figure). */
export function countEventsSince(db: Database, since: Date, cap: number): number {
  const sql = 'SELECT count(*) AS n FROM (SELECT 1 FROM events INDEXED BY events_received WHERE received_at >= @since LIMIT @cap)';
  return (prepared(db, sql).get({ since: since.getTime(), cap: Math.max(0, Math.trunc(cap)) }) as { n: number }).n;
}
