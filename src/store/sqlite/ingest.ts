import type { Database } from 'better-sqlite3';
import type { PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { IngestResult } from '../store.js';
import { prepared } from './prepared.js';
import { eventToParams } from './rows.js';
import { touchSession } from './sessions.js';
import type { SessionTouch } from '../../sessions/session-types.js';

export interface IngestItem {
  event: RelayEvent;
  deliveries: PlannedDelivery[];
  dedupeSince: Date;
  /** The event's session record and watches, written in the same transaction. */
  session?: SessionTouch;
}

export const FIRST_DUPLICATE = `
  SELECT id FROM events WHERE dedupe_key = ? AND received_at >= ?
  ORDER BY received_at, id LIMIT 1`;

export const INSERT_EVENT = `
  INSERT INTO events (id, type, app_id, room_id, conf_num, occurred_at, received_at, body, raw,
                      content_type, dedupe_key, files, stage, file_size, destination)
  VALUES (@id, @type, @app_id, @room_id, @conf_num, @occurred_at, @received_at, @body, @raw,
          @content_type, @dedupe_key, @files, @stage, @file_size, @destination)`;

// Due at once (next_attempt_at is the arrival), unless `due_at` is NULL: it waits behind the
// head of its order key.
export const INSERT_DELIVERY = `
  INSERT INTO deliveries (id, event_id, destination, route, order_key, status, attempts,
                          next_attempt_at, due_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`;

/** Is there an unfinished delivery of this order key (a head to wait behind)? */
export const KEY_HAS_OPEN = `
  SELECT 1 FROM deliveries WHERE order_key = ? AND status IN ('pending', 'delivering') LIMIT 1`;

/**
 * Writes one event and its deliveries. Runs inside the caller's transaction (the writer's group
 * commit), so the dedupe query sees the events written earlier in the same batch.
 */
export function ingest(db: Database, item: IngestItem): IngestResult {
  const params = eventToParams(item.event);
  const first = prepared(db, FIRST_DUPLICATE).get(item.event.dedupeKey, item.dedupeSince.getTime()) as { id: string } | undefined;
  if (first) return { eventId: first.id, duplicate: true, deliveries: 0 };

  prepared(db, INSERT_EVENT).run(params);
  const at = params.received_at as number;
  const insert = prepared(db, INSERT_DELIVERY);
  const hasOpen = prepared(db, KEY_HAS_OPEN);
  for (const d of item.deliveries) {
    // Checked before each insert: a second delivery of the same key in this event waits too.
    const waits = d.orderKey !== null && hasOpen.get(d.orderKey) !== undefined;
    insert.run(d.id, item.event.id, d.destination, d.route, d.orderKey, at, waits ? null : at, at, at);
  }
  if (item.session) touchSession(db, item.session, { id: item.event.id, receivedAt: at, dedupeKey: item.event.dedupeKey });
  return { eventId: item.event.id, duplicate: false, deliveries: item.deliveries.length };
}
