import type { AttemptOutcome, AttemptRecord, Delivery, DeliveryStatus } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { EventQuery, EventSummary } from '../store.js';
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

// least() ignores NULLs: whichever kind exists.
const NEXT_DUE = `
  SELECT least(
    (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND ($1::timestamptz IS NULL OR next_attempt_at > $1)),
    (SELECT min(lease_until) FROM deliveries WHERE status = 'delivering' AND ($1::timestamptz IS NULL OR lease_until > $1))) AS t`;

/** The earliest pending attempt or lease end; a worker sleeps until then (or until woken). */
export async function nextDueAt(db: Db, after?: Date): Promise<Date | null> {
  const { rows } = await db.query<{ t: Date | null }>(NEXT_DUE, [after ?? null]);
  return rows[0]?.t ?? null;
}

export async function stats(db: Db): Promise<Record<DeliveryStatus, number>> {
  const out: Record<DeliveryStatus, number> = { pending: 0, delivering: 0, delivered: 0, dead: 0 };
  const { rows } = await db.query<{ status: DeliveryStatus; n: number }>('SELECT status, count(*)::int AS n FROM deliveries GROUP BY status');
  for (const r of rows) out[r.status] = r.n;
  return out;
}
