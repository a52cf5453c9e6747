import type { Database } from 'better-sqlite3';
import { deadReason, FAILURE_REASONS, type DeadReason } from '../../domain/dead-reason.js';
import { GROUP_CAP, SCAN_BUDGET, type DeadLetter, type DeadLetterCursor, type DeadLetterGroup, type DeadLetterQuery, type Page } from '../admin-types.js';
import { prepared } from './prepared.js';
import { toIso, toMs } from './rows.js';

// deadReason() in SQL: the reason the last error starts with, after a "gave up after N attempts: ".
const REST = `(CASE WHEN d.last_error GLOB 'gave up after [0-9]* attempts: *' THEN substr(d.last_error, instr(d.last_error, ' attempts: ') + 11) ELSE d.last_error END)`;
export const REASON_SQL = `(CASE ${FAILURE_REASONS.map((r) => `WHEN ${REST} GLOB '${r}:*' THEN '${r}'`).join(' ')} ELSE 'other' END)`;

const from = (destination: string | undefined): string =>
  destination === undefined ? "deliveries d INDEXED BY deliveries_dead_time WHERE d.status = 'dead'" : "deliveries d INDEXED BY deliveries_dead_destination WHERE d.status = 'dead' AND d.destination = @destination";

interface Row {
  seq: number;
  event_id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  received_at: number;
  delivery_id: string;
  destination: string;
  route: string | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Dead deliveries newest event first, from the dead-only indexes; `reason` filters a bounded window. */
export function pageDeadLetters(db: Database, q: DeadLetterQuery): Page<DeadLetter, DeadLetterCursor> {
  const cut = q.before ? ' AND (d.created_at, d.event_id, d.id) < (@ct, @ce, @cd)' : '';
  const window = `SELECT d.seq, d.created_at, d.event_id, d.id FROM ${from(q.destination)}${cut} ORDER BY d.created_at DESC, d.event_id DESC, d.id DESC`;
  const params: Record<string, unknown> = { budget: q.scanBudget ?? SCAN_BUDGET, limit: Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET)) };
  if (q.destination !== undefined) params['destination'] = q.destination;
  if (q.before) Object.assign(params, { ct: toMs(q.before.createdAt), ce: q.before.eventId, cd: q.before.deliveryId });
  const sql = `SELECT d.seq, d.event_id, ev.type, ev.app_id, ev.room_id, ev.conf_num, ev.received_at, d.id AS delivery_id, d.destination,
      d.route, d.attempts, d.last_error, d.created_at, d.updated_at
    FROM (${window} LIMIT @budget) w JOIN deliveries d ON d.seq = w.seq JOIN events ev ON ev.id = d.event_id
    ${q.reason === undefined ? '' : `WHERE ${REASON_SQL} = @reason`}
    ORDER BY w.created_at DESC, w.event_id DESC, w.id DESC LIMIT @limit`;
  if (q.reason !== undefined) params['reason'] = q.reason;
  const rows = prepared(db, sql).all(params) as Row[];
  const items = rows.map(deadLetterOf);
  let next: DeadLetterCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === params['limit']) next = { createdAt: toIso(last.created_at), eventId: last.event_id, deliveryId: last.delivery_id };
  else if (q.reason !== undefined) {
    const end = prepared(db, `${window} LIMIT 1 OFFSET @budget - 1`).get(params) as { created_at: number; event_id: string; id: string } | undefined;
    if (end) next = { createdAt: toIso(end.created_at), eventId: end.event_id, deliveryId: end.id };
  }
  return { items, next };
}

/** Counted over the newest GROUP_CAP dead deliveries (index order), so its cost has a ceiling. */
export function deadLetterGroups(db: Database, q: { destination?: string }): { groups: DeadLetterGroup[]; truncated: boolean } {
  const params: Record<string, unknown> = { cap: GROUP_CAP };
  if (q.destination !== undefined) params['destination'] = q.destination;
  const rows = prepared(
    db,
    `SELECT destination, reason, count(*) AS n, min(created_at) AS oldest, max(created_at) AS newest, max(last_error) AS sample FROM (
       SELECT d.destination, d.created_at, d.last_error, ${REASON_SQL} AS reason FROM ${from(q.destination)} ORDER BY d.created_at DESC LIMIT @cap)
     GROUP BY destination, reason ORDER BY n DESC, destination, reason`,
  ).all(params) as { destination: string; reason: DeadReason; n: number; oldest: number; newest: number; sample: string | null }[];
  const more = prepared(db, `SELECT 1 FROM ${from(q.destination)} ORDER BY d.created_at DESC LIMIT 1 OFFSET @cap`).get(params);
  return {
    groups: rows.map((r) => ({ destination: r.destination, reason: r.reason, count: r.n, oldestAt: toIso(r.oldest), newestAt: toIso(r.newest), sampleError: r.sample })),
    truncated: more !== undefined,
  };
}

function deadLetterOf(r: Row): DeadLetter {
  return {
    eventId: r.event_id,
    type: r.type,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    receivedAt: toIso(r.received_at),
    deliveryId: r.delivery_id,
    destination: r.destination,
    route: r.route,
    attempts: r.attempts,
    lastError: r.last_error,
    reason: deadReason(r.last_error),
    diedAt: toIso(r.updated_at),
  };
}
