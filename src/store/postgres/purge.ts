import type { PurgeBatch, PurgeQuery } from '../store.js';
import type { Db } from './db.js';

/** Events one purge batch looks at: one short statement, whatever the table holds. */
export const PURGE_BATCH = 200;

// The next events before $1 in arrival order after the cursor ($2, $3): each batch reads only its
// own rows (events_received). An event with a pending or delivering delivery is never purged: it
// still has work to do. `delivered` ($4): every delivery delivered (an unrouted event, with none,
// counts). `dead` ($5): at least one delivery dead, the others finished.
const finished = (deliveries: string): string => `
      SELECT coalesce(bool_or(d.status IN ('pending', 'delivering')), false) AS open, coalesce(bool_or(d.status = 'dead'), false) AS dead
      FROM ${deliveries} d`;
const judged = `NOT s.open AND (($4 AND NOT s.dead) OR ($5 AND s.dead))`;
const batch = (action: 'delete' | 'count'): string => `
  WITH cand AS (
    SELECT id, received_at FROM events
    WHERE received_at < $1 AND (received_at, id) > (coalesce($2::timestamptz, '-infinity'), $3::text)
    ORDER BY received_at, id LIMIT ${PURGE_BATCH}
  ), seen AS (
    -- Per candidate, its own deliveries (deliveries_event): never a pass over all open ones.
    SELECT cand.id FROM cand CROSS JOIN LATERAL (${finished('deliveries')} WHERE d.event_id = cand.id) s
    WHERE ${judged}
  )${
    action === 'delete'
      ? `, ok AS (
    -- Judged again on its deliveries locked (the latest committed version of each): a replica's
    -- replay may have reopened one since this statement's snapshot, and deleting the event would
    -- take the reopened delivery with it. Locked until the commit, they cannot be reopened now.
    SELECT seen.id FROM seen CROSS JOIN LATERAL (${finished('(SELECT status FROM deliveries WHERE event_id = seen.id FOR SHARE)')}) s
    WHERE ${judged}
  ), gone AS (DELETE FROM events e USING ok WHERE e.id = ok.id RETURNING e.id)`
      : ''
  }
  SELECT (SELECT count(*) FROM ${action === 'delete' ? 'gone' : 'seen'})::int AS deleted,
         (SELECT count(*) FROM cand)::int AS seen,
         (SELECT to_json(c) FROM (SELECT received_at, id FROM cand ORDER BY received_at DESC, id DESC LIMIT 1) c) AS last`;

export const PURGE_DELETE = batch('delete');
export const PURGE_COUNT = batch('count');

/** One batch of a purge (deleted events take their deliveries and attempts along). */
export async function purgeBatch(db: Db, q: PurgeQuery, cursor: PurgeBatch['next']): Promise<PurgeBatch> {
  const { rows } = await db.query<{ deleted: number; seen: number; last: { received_at: string; id: string } | null }>(q.dryRun ? PURGE_COUNT : PURGE_DELETE, [
    q.before,
    cursor ? new Date(cursor.receivedAt) : null,
    cursor?.id ?? '',
    q.delivered !== false,
    q.dead === true,
  ]);
  const r = rows[0]!;
  return { deleted: r.deleted, next: r.seen < PURGE_BATCH || !r.last ? null : { receivedAt: new Date(r.last.received_at).toISOString(), id: r.last.id } };
}
