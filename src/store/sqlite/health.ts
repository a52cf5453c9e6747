import type { Database } from 'better-sqlite3';
import { HEALTH_CAP, type DestinationHealth } from '../admin-types.js';
import { prepared } from './prepared.js';
import { toIsoOrNull } from './rows.js';

// Each count stops at its cap and reads deliveries_destination (destination, status) or the
// dead-only index; the oldest unfinished is the smallest seq of that index's range (rowid order
// is creation order), one seek per status.
const UNFINISHED = `SELECT count(*) AS n FROM (
  SELECT 1 FROM deliveries INDEXED BY deliveries_destination WHERE destination = @d AND status IN ('pending', 'delivering') LIMIT @cap)`;
const OLDEST = `SELECT created_at AS t FROM deliveries WHERE seq = (SELECT min(s) FROM (
  SELECT min(seq) AS s FROM deliveries INDEXED BY deliveries_destination WHERE destination = @d AND status = 'pending'
  UNION ALL
  SELECT min(seq) FROM deliveries INDEXED BY deliveries_destination WHERE destination = @d AND status = 'delivering'))`;
const DEAD = `SELECT count(*) AS n FROM (
  SELECT 1 FROM deliveries INDEXED BY deliveries_dead_destination WHERE destination = @d AND status = 'dead' LIMIT @cap)`;

export function destinationHealth(db: Database, destinations: string[]): DestinationHealth[] {
  return destinations.map((d) => {
    const p = { d, cap: HEALTH_CAP };
    const oldest = prepared(db, OLDEST).get(p) as { t: number } | undefined;
    return {
      destination: d,
      unfinished: (prepared(db, UNFINISHED).get(p) as { n: number }).n,
      oldestUnfinishedAt: toIsoOrNull(oldest?.t ?? null),
      dead: (prepared(db, DEAD).get(p) as { n: number }).n,
    };
  });
}

export function countEventsSince(db: Database, since: Date, cap: number): number {
  const sql = 'SELECT count(*) AS n FROM (SELECT 1 FROM events INDEXED BY events_received WHERE received_at >= @since LIMIT @cap)';
  return (prepared(db, sql).get({ since: since.getTime(), cap: Math.max(0, Math.trunc(cap)) }) as { n: number }).n;
}
