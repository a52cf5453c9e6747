import type { Database } from 'better-sqlite3';
import { SCAN_BUDGET, type EventCursor, type EventPageQuery, type Page } from '../admin-types.js';
import type { EventSummaryColumns } from '../delivery-row.js';
import type { EventSummary } from '../store.js';
import { prepared } from './prepared.js';
import { withDeliveries } from './queries.js';
import { toIso, toMs } from './rows.js';

/** The index a page is read from: the rarest filter given has one, in (time, id) order. */
interface Driver {
  /** `FROM ...` with INDEXED BY: the planner must not pick a scan because the table is small today. */
  from: string;
  /** Its time and event id columns. */
  time: string;
  id: string;
  where: string[];
  distinct: boolean;
  /** The filter the index itself applies: not checked again. */
  covers: 'room' | 'dead' | 'type' | 'app' | null;
}

function driver(q: EventPageQuery): Driver {
  const events = (index: string, where: string[], covers: Driver['covers']): Driver => ({ from: `events INDEXED BY ${index}`, time: 'received_at', id: 'id', where, distinct: false, covers });
  if (q.roomId !== undefined) return events('events_room_received', ['room_id = @room'], 'room');
  // Dead deliveries are few: their own index finds the events that have one.
  if (q.status === 'dead') return { from: 'deliveries INDEXED BY deliveries_dead_time', time: 'created_at', id: 'event_id', where: ["status = 'dead'"], distinct: true, covers: 'dead' };
  if (q.type !== undefined) return events('events_type_received', ['type = @type'], 'type');
  if (q.appId !== undefined) return events('events_app_received', ['app_id = @app'], 'app');
  return events('events_received', [], null);
}

/**
 * One page of events, newest first. A window of at most SCAN_BUDGET keys is read from the
 * driving index after the cursor; the other filters apply to that window. A short page whose
 * window was full continues after the window's last key. With no other filter the window is
 * the page.
 */
export function pageEvents(db: Database, q: EventPageQuery): Page<EventSummary, EventCursor> {
  const d = driver(q);
  const where = [...d.where];
  if (q.since) where.push(`${d.time} >= @since`);
  if (q.until) where.push(`${d.time} < @until`);
  if (q.before) where.push(`(${d.time}, ${d.id}) < (@ct, @cid)`);
  const window = `SELECT ${d.distinct ? 'DISTINCT ' : ''}${d.id} AS id, ${d.time} AS t FROM ${d.from}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${d.time} DESC, ${d.id} DESC`;
  const filters: string[] = [];
  if (q.type !== undefined && d.covers !== 'type') filters.push('ev.type = @type');
  if (q.appId !== undefined && d.covers !== 'app') filters.push('ev.app_id = @app');
  if (q.roomId !== undefined && d.covers !== 'room') filters.push('ev.room_id = @room');
  if (q.status !== undefined && d.covers !== 'dead') filters.push('EXISTS (SELECT 1 FROM deliveries s WHERE s.event_id = ev.id AND s.status = @status)');
  const params = {
    room: q.roomId ?? null,
    type: q.type ?? null,
    app: q.appId ?? null,
    status: q.status ?? null,
    since: q.since?.getTime() ?? null,
    until: q.until?.getTime() ?? null,
    ct: q.before ? toMs(q.before.receivedAt) : null,
    cid: q.before?.id ?? null,
    budget: q.scanBudget ?? SCAN_BUDGET,
    limit: Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET)),
  };
  const pageSql = `SELECT ev.id, ev.type, ev.app_id, ev.room_id, ev.conf_num, ev.received_at
    FROM (${window} LIMIT ${filters.length ? '@budget' : '@limit'}) w JOIN events ev ON ev.id = w.id
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY w.t DESC, w.id DESC LIMIT @limit`;
  const rows = prepared(db, pageSql).all(params) as EventSummaryColumns[];
  let next: EventCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === params.limit) next = { receivedAt: toIso(last.received_at as number), id: last.id };
  else if (filters.length) {
    const endSql = `${window} LIMIT 1 OFFSET @budget - 1`;
    const end = prepared(db, endSql).get(params) as { id: string; t: number } | undefined;
    if (end) next = { receivedAt: toIso(end.t), id: end.id };
  }
  return { items: withDeliveries(db, rows), next };
}
