import { HEALTH_CAP, type DestinationHealth } from '../admin-types.js';
import { noNul, type Db } from './db.js';

// Each count stops at its cap: deliveries_status (status, destination) and the dead-only index;
// the oldest unfinished is one seek of deliveries_unfinished_age (010_admin_pages.sql).
const HEALTH = `
  SELECT
    (SELECT count(*)::int FROM (SELECT 1 FROM deliveries WHERE status IN ('pending', 'delivering') AND destination = $1 LIMIT $2) u) AS unfinished,
    (SELECT min(created_at) FROM deliveries WHERE status IN ('pending', 'delivering') AND destination = $1) AS oldest,
    (SELECT count(*)::int FROM (SELECT 1 FROM deliveries WHERE status = 'dead' AND destination = $1 LIMIT $2) x) AS dead`;

export async function destinationHealth(db: Db, destinations: string[]): Promise<DestinationHealth[]> {
  return Promise.all(
    destinations.map(async (d) => {
      const { rows } = await db.query<{ unfinished: number; oldest: Date | null; dead: number }>(HEALTH, [noNul(d), HEALTH_CAP]);
      const r = rows[0]!;
      return { destination: d, unfinished: r.unfinished, oldestUnfinishedAt: r.oldest?.toISOString() ?? null, dead: r.dead };
    }),
  );
}

export async function countEventsSince(db: Db, since: Date, cap: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE received_at >= $1 LIMIT $2) e', [since, Math.max(0, Math.trunc(cap))]);
  return rows[0]!.n;
}
