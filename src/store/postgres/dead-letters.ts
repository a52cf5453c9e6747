import { deadReason, FAILURE_REASONS, type DeadReason } from '../../domain/dead-reason.js';
import { GROUP_CAP, SCAN_BUDGET, type DeadLetter, type DeadLetterCursor, type DeadLetterGroup, type DeadLetterQuery, type Page } from '../admin-types.js';
import { noNul, type Db } from './db.js';
import { Params } from './page-events.js';
import { toDate } from './rows.js';

// deadReason() in SQL: the reason the last error starts with, after a "gave up after N attempts: ".
// Prefix tests (LIKE, strpos) rather than a regular expression: a regex per row made grouping
// 2,000 dead deliveries take 70 ms. `_` is LIKE's wildcard, hence rate\_limited.
const REST = `(CASE WHEN d.last_error LIKE 'gave up after % attempts: %' THEN substr(d.last_error, strpos(d.last_error, ' attempts: ') + 11) ELSE d.last_error END)`;
export const REASON_SQL = `(CASE ${FAILURE_REASONS.map((r) => `WHEN ${REST} LIKE '${r.replace('_', '\\_')}:%' THEN '${r}'`).join(' ')} ELSE 'other' END)`;

/** Dead deliveries, from the dead-only indexes (deliveries_dead_time or deliveries_dead_destination). */
const from = (p: Params, destination: string | undefined): string =>
  `deliveries d WHERE d.status = 'dead'${destination === undefined ? '' : ` AND d.destination = ${p.add(noNul(destination))}`}`;

interface Row {
  event_id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  received_at: Date;
  delivery_id: string;
  destination: string;
  route: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Dead deliveries newest event first; `reason` filters a bounded window (see the SQLite engine). */
export async function pageDeadLetters(db: Db, q: DeadLetterQuery): Promise<Page<DeadLetter, DeadLetterCursor>> {
  const p = new Params();
  let window = `SELECT d.seq, d.created_at, d.event_id, d.id FROM ${from(p, q.destination)}`;
  if (q.before) window += ` AND (d.created_at, d.event_id, d.id) < (${p.add(toDate(q.before.createdAt), '::timestamptz')}, ${p.add(q.before.eventId, '::text')}, ${p.add(q.before.deliveryId, '::text')})`;
  window += ' ORDER BY d.created_at DESC, d.event_id DESC, d.id DESC';
  const windowValues = [...p.values];
  const budget = p.add(q.scanBudget ?? SCAN_BUDGET, '::int');
  const reason = q.reason === undefined ? '' : `WHERE ${REASON_SQL} = ${p.add(q.reason)}`;
  const limit = Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET));
  const sql = `SELECT d.event_id, ev.type, ev.app_id, ev.room_id, ev.conf_num, ev.received_at, d.id AS delivery_id, d.destination,
      d.route, d.attempts, d.last_error, d.created_at, d.updated_at
    FROM (${window} LIMIT ${budget}) w JOIN deliveries d ON d.seq = w.seq JOIN events ev ON ev.id = d.event_id
    ${reason} ORDER BY w.created_at DESC, w.event_id DESC, w.id DESC LIMIT ${p.add(limit, '::int')}`;
  const { rows } = await db.query<Row>(sql, p.values);
  let next: DeadLetterCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === limit) next = { createdAt: last.created_at.toISOString(), eventId: last.event_id, deliveryId: last.delivery_id };
  else if (q.reason !== undefined) {
    const end = await db.query<{ created_at: Date; event_id: string; id: string }>(`${window} LIMIT 1 OFFSET $${windowValues.length + 1}::int - 1`, [...windowValues, q.scanBudget ?? SCAN_BUDGET]);
    const e = end.rows[0];
    if (e) next = { createdAt: e.created_at.toISOString(), eventId: e.event_id, deliveryId: e.id };
  }
  return { items: rows.map(deadLetterOf), next };
}

/** Counted over the newest GROUP_CAP dead deliveries, so its cost has a ceiling. */
export async function deadLetterGroups(db: Db, q: { destination?: string }): Promise<{ groups: DeadLetterGroup[]; truncated: boolean }> {
  const p = new Params();
  const dead = from(p, q.destination);
  const cap = p.add(GROUP_CAP, '::int');
  const { rows } = await db.query<{ destination: string; reason: DeadReason; n: number; oldest: Date; newest: Date; sample: string | null }>(
    `SELECT destination, reason, count(*)::int AS n, min(created_at) AS oldest, max(created_at) AS newest, max(last_error) AS sample FROM (
       SELECT d.destination, d.created_at, d.last_error, ${REASON_SQL} AS reason FROM ${dead} ORDER BY d.created_at DESC LIMIT ${cap}) g
     GROUP BY destination, reason ORDER BY n DESC, destination, reason`,
    p.values,
  );
  const more = await db.query(`SELECT 1 FROM ${dead} ORDER BY d.created_at DESC LIMIT 1 OFFSET ${cap}`, p.values);
  return {
    groups: rows.map((r) => ({ destination: r.destination, reason: r.reason, count: r.n, oldestAt: r.oldest.toISOString(), newestAt: r.newest.toISOString(), sampleError: r.sample })),
    truncated: (more.rowCount ?? 0) > 0,
  };
}

function deadLetterOf(r: Row): DeadLetter {
  return {
    eventId: r.event_id,
    type: r.type,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    receivedAt: r.received_at.toISOString(),
    deliveryId: r.delivery_id,
    destination: r.destination,
    route: r.route,
    attempts: r.attempts,
    lastError: r.last_error,
    reason: deadReason(r.last_error),
    diedAt: r.updated_at.toISOString(),
  };
}
