import { SCAN_BUDGET, type EventCursor, type EventPageQuery, type Page } from '../admin-types.js';
import type { EventSummaryColumns } from '../delivery-row.js';
import type { EventSummary } from '../store.js';
import { noNul, type Db } from './db.js';
import { withDeliveries } from './queries.js';
import { toDate } from './rows.js';

/** Numbered parameters, added as the statement is built. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/**
 * One page of events, newest first; see the SQLite engine for the shape. The planner picks the
 * index of the filter given (events_room_received, events_type_received, ..., deliveries_dead_time
 * for dead ones, events_received otherwise): each reads in (time, id) order from the cursor.
 */
export async function pageEvents(db: Db, q: EventPageQuery): Promise<Page<EventSummary, EventCursor>> {
  const p = new Params();
  const dead = q.status === 'dead' && q.roomId === undefined;
  const time = dead ? 'created_at' : 'received_at';
  const id = dead ? 'event_id' : 'id';
  const where: string[] = dead ? ["status = 'dead'"] : [];
  if (!dead && q.roomId !== undefined) where.push(`room_id = ${p.add(noNul(q.roomId))}`);
  else if (!dead && q.type !== undefined) where.push(`type = ${p.add(noNul(q.type))}`);
  else if (!dead && q.appId !== undefined) where.push(`app_id = ${p.add(noNul(q.appId))}`);
  if (q.since) where.push(`${time} >= ${p.add(q.since, '::timestamptz')}`);
  if (q.until) where.push(`${time} < ${p.add(q.until, '::timestamptz')}`);
  if (q.before) where.push(`(${time}, ${id}) < (${p.add(toDate(q.before.receivedAt), '::timestamptz')}, ${p.add(q.before.id, '::text')})`);
  const window = `SELECT ${dead ? 'DISTINCT ' : ''}${id} AS id, ${time} AS t FROM ${dead ? 'deliveries' : 'events'}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${time} DESC, ${id} DESC`;
  const windowValues = [...p.values];
  const covers = dead ? 'dead' : q.roomId !== undefined ? 'room' : q.type !== undefined ? 'type' : q.appId !== undefined ? 'app' : null;
  const filters: string[] = [];
  if (q.type !== undefined && covers !== 'type') filters.push(`ev.type = ${p.add(noNul(q.type))}`);
  if (q.appId !== undefined && covers !== 'app') filters.push(`ev.app_id = ${p.add(noNul(q.appId))}`);
  if (q.roomId !== undefined && covers !== 'room') filters.push(`ev.room_id = ${p.add(noNul(q.roomId))}`);
  if (q.status !== undefined && covers !== 'dead') filters.push(`EXISTS (SELECT 1 FROM deliveries s WHERE s.event_id = ev.id AND s.status = ${p.add(q.status)})`);
  const limit = Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET));
  // With no other filter the window is the page.
  const windowLimit = p.add(filters.length ? (q.scanBudget ?? SCAN_BUDGET) : limit, '::int');
  const sql = `SELECT ev.id, ev.type, ev.app_id, ev.room_id, ev.conf_num, ev.received_at
    FROM (${window} LIMIT ${windowLimit}) w JOIN events ev ON ev.id = w.id
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY w.t DESC, w.id DESC LIMIT ${p.add(limit, '::int')}`;
  const { rows } = await db.query<EventSummaryColumns & { received_at: Date }>(sql, p.values);
  let next: EventCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === limit) next = { receivedAt: last.received_at.toISOString(), id: last.id };
  else if (filters.length) {
    const end = await db.query<{ id: string; t: Date }>(`${window} LIMIT 1 OFFSET $${windowValues.length + 1}::int - 1`, [...windowValues, q.scanBudget ?? SCAN_BUDGET]);
    if (end.rows[0]) next = { receivedAt: end.rows[0].t.toISOString(), id: end.rows[0].id };
  }
  return { items: await withDeliveries(db, rows), next };
}
