import type { Database } from 'better-sqlite3';
import type { AttemptOutcome, AttemptRecord, Delivery, DeliveryStatus } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { EventQuery, EventSummary } from '../store.js';
import { eventSummaries, type EventSummaryColumns } from '../delivery-row.js';
import { prepared } from './prepared.js';
import { deliveryFromRow, eventFromRow, toIso, type DeliveryRow, type EventRow } from './rows.js';

export function getEvent(db: Database, id: string): RelayEvent | null {
  const row = prepared(db, 'SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
  return row ? eventFromRow(row) : null;
}

const LIST_EVENTS = `
  SELECT id, type, app_id, room_id, conf_num, received_at FROM events ev
  WHERE (@type IS NULL OR ev.type = @type)
    AND (@since IS NULL OR ev.received_at >= @since)
    AND (@status IS NULL OR EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.status = @status))
  ORDER BY ev.received_at DESC, ev.id DESC
  LIMIT @limit`;

/** Newest first, each with its deliveries in creation order. */
export function listEvents(db: Database, q: EventQuery): EventSummary[] {
  const rows = prepared(db, LIST_EVENTS).all({
    type: q.type ?? null,
    since: q.since?.getTime() ?? null,
    status: q.status ?? null,
    limit: Math.max(0, q.limit),
  }) as EventSummaryColumns[];
  return withDeliveries(db, rows);
}

/** Listed events with their deliveries in creation order: one more query, by deliveries_event. */
export function withDeliveries(db: Database, rows: EventSummaryColumns[]): EventSummary[] {
  if (rows.length === 0) return [];
  const ds = prepared(db, 'SELECT * FROM deliveries WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY seq').all(
    JSON.stringify(rows.map((r) => r.id)),
  ) as DeliveryRow[];
  return eventSummaries(rows, ds);
}

export function listDeliveries(db: Database, eventId: string): Delivery[] {
  return (prepared(db, 'SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq').all(eventId) as DeliveryRow[]).map(deliveryFromRow);
}

interface AttemptRow {
  attempt: number;
  started_at: number;
  duration_ms: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  error: string | null;
}

export function listAttempts(db: Database, deliveryId: string): (AttemptRecord & { attempt: number })[] {
  const rows = prepared(db, 'SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id').all(deliveryId) as AttemptRow[];
  return rows.map((r) => ({
    attempt: r.attempt,
    startedAt: toIso(r.started_at),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    statusCode: r.status_code,
    error: r.error,
  }));
}

const NEXT_DUE = `
  SELECT min(t) AS t FROM (
    SELECT min(next_attempt_at) AS t FROM deliveries WHERE status = 'pending' AND next_attempt_at > @after
    UNION ALL
    SELECT min(lease_until) FROM deliveries WHERE status = 'delivering' AND lease_until > @after)`;

/** The earliest pending attempt or lease end; a worker sleeps until then (or until woken by an ingest). */
export function nextDueAt(db: Database, after?: Date): Date | null {
  const { t } = prepared(db, NEXT_DUE).get({ after: after ? after.getTime() : -1 }) as { t: number | null };
  return t === null ? null : new Date(t);
}

export function stats(db: Database): Record<DeliveryStatus, number> {
  const out: Record<DeliveryStatus, number> = { pending: 0, delivering: 0, delivered: 0, dead: 0 };
  const rows = prepared(db, 'SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as { status: DeliveryStatus; n: number }[];
  for (const r of rows) out[r.status] = r.n;
  return out;
}
