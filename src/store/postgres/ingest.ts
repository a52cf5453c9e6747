import type { PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { IngestResult } from '../store.js';
import { LOCK, noNul, type Db } from './db.js';
import { EVENT_COLUMNS, eventValues } from './rows.js';

export interface IngestItem {
  event: RelayEvent;
  deliveries: PlannedDelivery[];
  dedupeSince: Date;
}

/** The channel workers LISTEN on; the payload names the schema, so relays on other schemas ignore it. */
export const WORK_CHANNEL = 'enx_relay_work';

// Two identical bodies arriving together at two replicas: the second waits here until the first
// commits, then its dedupe query (a new statement, so a new snapshot) sees the first event.
const LOCK_KEY = `SELECT pg_advisory_xact_lock(${LOCK.dedupe}, hashtext($1))`;

const FIRST_DUPLICATE = `
  SELECT id FROM events WHERE dedupe_key = $1 AND received_at >= $2
  ORDER BY received_at, id LIMIT 1`;

// One statement writes the event and its deliveries, due at once (next_attempt_at is the arrival),
// seq following the planned order.
const INSERT = `
  WITH ev AS (
    INSERT INTO events (${EVENT_COLUMNS})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
    RETURNING id, received_at)
  INSERT INTO deliveries (id, event_id, destination, route, order_key, status, attempts, next_attempt_at, created_at, updated_at)
  SELECT d.id, ev.id, d.destination, d.route, d.order_key, 'pending', 0, ev.received_at, ev.received_at, ev.received_at
  FROM ev, unnest($16::text[], $17::text[], $18::text[], $19::text[]) WITH ORDINALITY AS d (id, destination, route, order_key, n)
  ORDER BY d.n`;

/** Writes one event and its deliveries; runs inside the caller's transaction. */
export async function ingest(db: Db, item: IngestItem, notifyPayload: string): Promise<IngestResult> {
  const { event, deliveries } = item;
  const key = noNul(event.dedupeKey);
  await db.query(LOCK_KEY, [key]);
  const first = await db.query<{ id: string }>(FIRST_DUPLICATE, [key, item.dedupeSince]);
  if (first.rows[0]) return { eventId: first.rows[0].id, duplicate: true, deliveries: 0 };

  await db.query(INSERT, [
    ...eventValues(event),
    deliveries.map((d) => d.id),
    deliveries.map((d) => noNul(d.destination)),
    deliveries.map((d) => noNul(d.route)),
    deliveries.map((d) => noNul(d.orderKey)),
  ]);
  // Delivered to listeners only if and when this transaction commits.
  if (deliveries.length > 0) await db.query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, notifyPayload]);
  return { eventId: event.id, duplicate: false, deliveries: deliveries.length };
}
