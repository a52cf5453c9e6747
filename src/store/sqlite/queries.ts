import type { Database } from 'better-sqlite3';
import type { AttemptOutcome, AttemptRecord, Delivery, DeliveryStatus } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { DestinationBacklog, EventQuery, EventSummary } from '../store.js';
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

// Per destination (one seek each in deliveries_claimable), the first due time after `after`.
export const NEXT_DUE = `
  WITH RECURSIVE dest (name) AS (
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL)
    UNION ALL
    SELECT (SELECT min(destination) FROM deliveries WHERE due_at IS NOT NULL AND destination > dest.name)
    FROM dest WHERE dest.name IS NOT NULL)
  SELECT min((SELECT min(due_at) FROM deliveries WHERE destination = dest.name AND due_at > @after)) AS t
  FROM dest WHERE dest.name IS NOT NULL`;

/** The earliest claimable moment after `after`: a pending attempt or a lease's end. */
export function nextDueAt(db: Database, after?: Date): Date | null {
  const { t } = prepared(db, NEXT_DUE).get({ after: after ? after.getTime() : -1 }) as { t: number | null };
  return t === null ? null : new Date(t);
}

export const COUNTS = 'SELECT destination, status, n FROM delivery_counts WHERE n <> 0';
// The oldest open delivery of a destination: the first entry of deliveries_open.
export const OLDEST_OPEN = `
  SELECT created_at FROM deliveries WHERE destination = ? AND status IN ('pending', 'delivering') ORDER BY seq LIMIT 1`;

const zero = (): Record<DeliveryStatus, number> => ({ pending: 0, delivering: 0, delivered: 0, dead: 0 });

export function stats(db: Database): Record<DeliveryStatus, number> {
  const out = zero();
  for (const r of prepared(db, COUNTS).all() as { status: DeliveryStatus; n: number }[]) out[r.status] += r.n;
  return out;
}

export function backlog(db: Database): DestinationBacklog[] {
  const byName = new Map<string, DestinationBacklog>();
  for (const r of prepared(db, COUNTS).all() as { destination: string; status: DeliveryStatus; n: number }[]) {
    let b = byName.get(r.destination);
    if (!b) byName.set(r.destination, (b = { destination: r.destination, counts: zero(), oldestOpenAt: null }));
    b.counts[r.status] += r.n;
  }
  const oldest = prepared(db, OLDEST_OPEN);
  for (const b of byName.values()) {
    if (b.counts.pending + b.counts.delivering === 0) continue;
    const row = oldest.get(b.destination) as { created_at: number } | undefined;
    b.oldestOpenAt = row ? toIso(row.created_at) : null;
  }
  return [...byName.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1));
}
