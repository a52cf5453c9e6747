import type { Database } from 'better-sqlite3';
import type { PlannedDelivery } from '../../domain/delivery.js';
import type { RelayEvent } from '../../domain/event.js';
import type { IngestResult } from '../store.js';
import { prepared } from './prepared.js';
import { eventToParams } from './rows.js';

export interface IngestItem {
  event: RelayEvent;
  deliveries: PlannedDelivery[];
  dedupeSince: Date;
}

const FIRST_DUPLICATE = `
  SELECT id FROM events WHERE dedupe_key = ? AND received_at >= ?
  ORDER BY received_at, id LIMIT 1`;

const INSERT_EVENT = `
  INSERT INTO events (id, type, app_id, room_id, conf_num, occurred_at, received_at, body, raw,
                      content_type, dedupe_key, files, stage, file_size, destination)
  VALUES (@id, @type, @app_id, @room_id, @conf_num, @occurred_at, @received_at, @body, @raw,
          @content_type, @dedupe_key, @files, @stage, @file_size, @destination)`;

// Due at once: next_attempt_at is the event's arrival.
const INSERT_DELIVERY = `
  INSERT INTO deliveries (id, event_id, destination, route, order_key, status, attempts,
                          next_attempt_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`;

/**
 * Writes one event and its deliveries. Runs inside the caller's transaction, so within a group
 * commit the dedupe query sees the events written earlier in the same batch.
 */
export function ingest(db: Database, item: IngestItem): IngestResult {
  const params = eventToParams(item.event);
  const first = prepared(db, FIRST_DUPLICATE).get(item.event.dedupeKey, item.dedupeSince.getTime()) as { id: string } | undefined;
  if (first) return { eventId: first.id, duplicate: true, deliveries: 0 };

  prepared(db, INSERT_EVENT).run(params);
  const at = params.received_at as number;
  const insert = prepared(db, INSERT_DELIVERY);
  for (const d of item.deliveries) insert.run(d.id, item.event.id, d.destination, d.route, d.orderKey, at, at, at);
  return { eventId: item.event.id, duplicate: false, deliveries: item.deliveries.length };
}

