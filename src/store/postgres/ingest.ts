import type { PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { IngestResult } from '../store.js';
import { named, noNul, type Db } from './db.js';
import { EVENT_COLUMNS, eventValues } from './rows.js';
import { SESSION_CTES, sessionValues } from './sessions.js';
import type { SessionTouch } from '../../sessions/session-types.js';

export interface IngestItem {
  event: RelayEvent;
  deliveries: PlannedDelivery[];
  dedupeSince: Date;
  session?: SessionTouch;
}

/** The channel workers LISTEN on; the payload names the schema, so relays on other schemas ignore it. */
export const WORK_CHANNEL = 'enx_relay_work';

// One statement, one round trip, its own transaction:
// - dk: the dedupe key's row. ON CONFLICT waits for a replica inserting the same key at the same
//   moment and then sees its row, so one body arriving at two replicas is one event. A row older
//   than the window is taken over by this event.
// - fresh: this event is new (the key's row names it), else nothing below writes.
// - oq: one row per order key counts its open deliveries; this event's deliveries of a key that
//   had none open start with its first as the head (claimable), the rest wait (due_at NULL).
// - the NOTIFY is sent, and the deliveries are claimable, only if and when this commits.
// $23: the due time; NULL means the database's clock.
const INGEST_CTES = `
  WITH dk AS (
    INSERT INTO dedupe_keys AS k (dedupe_key, event_id, received_at) VALUES ($11, $1, $7)
    ON CONFLICT (dedupe_key) DO UPDATE
      SET event_id = CASE WHEN k.received_at < $20 THEN EXCLUDED.event_id ELSE k.event_id END,
          received_at = CASE WHEN k.received_at < $20 THEN EXCLUDED.received_at ELSE k.received_at END
    RETURNING k.event_id
  ), fresh AS (
    SELECT 1 AS yes FROM dk WHERE dk.event_id = $1
  ), ev AS (
    INSERT INTO events (${EVENT_COLUMNS})
    SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz, $7::timestamptz, $8::json, $9::bytea,
           $10::text, $11::text, $12::json, $13::float8, $14::float8, $15::json FROM fresh
    RETURNING id, received_at
  ), p AS (
    SELECT * FROM unnest($16::text[], $17::text[], $18::text[], $19::text[]) WITH ORDINALITY AS p (id, destination, route, order_key, n)
  ), added AS (
    SELECT p.order_key, count(*)::int AS k, min(p.n) AS first FROM p, fresh WHERE p.order_key IS NOT NULL GROUP BY p.order_key
  ), oq AS (
    INSERT INTO order_queues AS q (order_key, open) SELECT order_key, k FROM added ORDER BY order_key
    ON CONFLICT (order_key) DO UPDATE SET open = q.open + EXCLUDED.open
    RETURNING q.order_key, q.open
  ), ins AS (
    INSERT INTO deliveries (id, event_id, destination, route, order_key, status, attempts, next_attempt_at, due_at, created_at, updated_at)
    SELECT p.id, ev.id, p.destination, p.route, p.order_key, 'pending', 0, ev.received_at,
      CASE WHEN p.order_key IS NULL OR (oq.open = a.k AND p.n = a.first) THEN coalesce($23::timestamptz, now()) END,
      ev.received_at, ev.received_at
    FROM ev CROSS JOIN p
      LEFT JOIN added a ON a.order_key = p.order_key
      LEFT JOIN oq ON oq.order_key = p.order_key
    ORDER BY p.n
    RETURNING 1
  )`;

const INGEST_RESULT = `
  SELECT (SELECT event_id FROM dk) AS event_id,
         (SELECT count(*) FROM ins)::int AS deliveries,
         (SELECT pg_notify($21, $22) FROM fresh WHERE $24::int > 0) IS NULL AS notified`;

export const INGEST = INGEST_CTES + INGEST_RESULT;
/** The same with the event's session touch (sessions.ts): still one statement, one round trip. */
export const INGEST_WITH_SESSION = INGEST_CTES + SESSION_CTES + INGEST_RESULT;

/** Writes one event and its deliveries, or finds its duplicate: one statement. `dueAt` null: the database's clock. */
export async function ingest(db: Db, item: IngestItem, notifyPayload: string, dueAt: Date | null): Promise<IngestResult> {
  const { event, deliveries } = item;
  const statement = item.session ? named('enx_ingest_session', INGEST_WITH_SESSION) : named('enx_ingest', INGEST);
  const { rows } = await db.query<{ event_id: string; deliveries: number }>(statement, [
    ...eventValues(event),
    deliveries.map((d) => d.id),
    deliveries.map((d) => noNul(d.destination)),
    deliveries.map((d) => noNul(d.route)),
    deliveries.map((d) => noNul(d.orderKey)),
    item.dedupeSince,
    WORK_CHANNEL,
    notifyPayload,
    dueAt,
    deliveries.length,
    ...(item.session ? sessionValues(item.session) : []),
  ]);
  const r = rows[0]!;
  if (r.event_id !== event.id) return { eventId: r.event_id, duplicate: true, deliveries: 0 };
  return { eventId: event.id, duplicate: false, deliveries: r.deliveries };
}
