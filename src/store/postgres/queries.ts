import type { AttemptOutcome, AttemptRecord, Delivery, DeliveryStatus } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { DestinationBacklog, EventQuery, EventSummary } from '../store.js';
import { eventSummaries, type EventSummaryColumns } from '../delivery-row.js';
import type { Db } from './db.js';
import { deliveryFromRow, eventFromRow, type DeliveryRow, type EventRow } from './rows.js';

export async function getEvent(db: Db, id: string): Promise<RelayEvent | null> {
  const { rows } = await db.query<EventRow>('SELECT * FROM events WHERE id = $1', [id]);
  return rows[0] ? eventFromRow(rows[0]) : null;
}

const LIST_EVENTS = `
  SELECT id, type, app_id, room_id, conf_num, received_at FROM events ev
  WHERE ($1::text IS NULL OR ev.type = $1)
    AND ($2::timestamptz IS NULL OR ev.received_at >= $2)
    AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.status = $3))
  ORDER BY ev.received_at DESC, ev.id DESC
  LIMIT $4`;

/** Newest first, each with its deliveries in creation order. */
export async function listEvents(db: Db, q: EventQuery): Promise<EventSummary[]> {
  const { rows } = await db.query<Pick<EventRow, 'id' | 'type' | 'app_id' | 'room_id' | 'conf_num' | 'received_at'>>(LIST_EVENTS, [
    q.type ?? null,
    q.since ?? null,
    q.status ?? null,
    Math.max(0, Math.trunc(q.limit)),
  ]);
  return withDeliveries(db, rows);
}

/** Listed events with their deliveries in creation order: one more query, by deliveries_event. */
export async function withDeliveries(db: Db, rows: EventSummaryColumns[]): Promise<EventSummary[]> {
  if (rows.length === 0) return [];
  const ds = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE event_id = ANY ($1::text[]) ORDER BY seq', [rows.map((r) => r.id)]);
  return eventSummaries(rows, ds.rows);
}

export async function listDeliveries(db: Db, eventId: string): Promise<Delivery[]> {
  const { rows } = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE event_id = $1 ORDER BY seq', [eventId]);
  return rows.map(deliveryFromRow);
}

interface AttemptRow {
  attempt: number;
  started_at: Date;
  duration_ms: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  error: string | null;
}

export async function listAttempts(db: Db, deliveryId: string): Promise<(AttemptRecord & { attempt: number })[]> {
  const { rows } = await db.query<AttemptRow>('SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY id', [deliveryId]);
  return rows.map((r) => ({
    attempt: r.attempt,
    startedAt: r.started_at.toISOString(),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    statusCode: r.status_code,
    error: r.error,
  }));
}

// Per destination (one seek each in deliveries_claimable), the first due time after the moment
// $1 (the relay's clock) or $2 ms from the database's now(); neither: the first of all.
export const NEXT_DUE = `
  WITH RECURSIVE dest (name) AS (
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL)
    UNION ALL
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL AND destination > dest.name)
    FROM dest WHERE dest.name IS NOT NULL
  ), b AS (
    SELECT coalesce($1::timestamptz, now() + $2 * interval '1 millisecond', '-infinity'::timestamptz) AS after
  )
  SELECT (SELECT min((SELECT min(due_at) FROM deliveries d WHERE d.destination = dest.name AND d.due_at > b.after))
          FROM dest, b WHERE dest.name IS NOT NULL) AS t, now() AS db_now`;

/** The earliest claimable moment after `after` (null: none), as the database's times. */
export async function nextDueAt(db: Db, after: { at: Date | null; inMs: number | null }): Promise<{ t: Date | null; dbNow: Date }> {
  const { rows } = await db.query<{ t: Date | null; db_now: Date }>(NEXT_DUE, [after.at, after.inMs]);
  return { t: rows[0]!.t, dbNow: rows[0]!.db_now };
}

export const COUNTS = 'SELECT destination, status, sum(n)::int AS n FROM delivery_counts GROUP BY destination, status HAVING sum(n) <> 0';

// The oldest open delivery of each destination: the first entry of deliveries_open.
export const OLDEST_OPEN = `
  SELECT name, (SELECT created_at FROM deliveries WHERE destination = name AND status IN ('pending', 'delivering') ORDER BY seq LIMIT 1) AS oldest
  FROM unnest($1::text[]) AS name`;

const zero = (): Record<DeliveryStatus, number> => ({ pending: 0, delivering: 0, delivered: 0, dead: 0 });

export async function stats(db: Db): Promise<Record<DeliveryStatus, number>> {
  const out = zero();
  for (const r of (await db.query<{ status: DeliveryStatus; n: number }>(COUNTS)).rows) out[r.status] += r.n;
  return out;
}

export async function backlog(db: Db): Promise<DestinationBacklog[]> {
  const byName = new Map<string, DestinationBacklog>();
  for (const r of (await db.query<{ destination: string; status: DeliveryStatus; n: number }>(COUNTS)).rows) {
    let b = byName.get(r.destination);
    if (!b) byName.set(r.destination, (b = { destination: r.destination, counts: zero(), oldestOpenAt: null }));
    b.counts[r.status] += r.n;
  }
  const open = [...byName.values()].filter((b) => b.counts.pending + b.counts.delivering > 0).map((b) => b.destination);
  if (open.length > 0) {
    for (const r of (await db.query<{ name: string; oldest: Date | null }>(OLDEST_OPEN, [open])).rows) byName.get(r.name)!.oldestOpenAt = r.oldest?.toISOString() ?? null;
  }
  return [...byName.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1));
}
