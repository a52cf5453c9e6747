import type { RelayEvent } from '../../domain/event.js';
import { noNul } from './db.js';

/** Times are timestamptz, read back as Date; the domain speaks ISO-8601. */
export function toDate(iso: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not a date: ${JSON.stringify(iso)}`);
  return new Date(ms);
}

export const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export interface EventRow {
  id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  occurred_at: Date | null;
  received_at: Date;
  body: RelayEvent['body'];
  raw: Buffer;
  content_type: string | null;
  dedupe_key: string;
  files: RelayEvent['files'];
  stage: number | null;
  file_size: number | null;
  destination: RelayEvent['destination'] | null;
}

export interface DeliveryRow extends DeliveryColumns<Date> {
  /** bigint: node-postgres returns it as a string. */
  seq: string;
}

export function eventFromRow(r: EventRow): RelayEvent {
  const e: RelayEvent = {
    id: r.id,
    type: r.type,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    occurredAt: isoOrNull(r.occurred_at),
    receivedAt: r.received_at.toISOString(),
    files: r.files,
    body: r.body,
    raw: r.raw,
    contentType: r.content_type,
    dedupeKey: r.dedupe_key,
  };
  // Optional fields stay absent rather than undefined, so a read-back deep-equals what was stored.
  if (r.stage !== null) e.stage = r.stage;
  if (r.file_size !== null) e.fileSize = r.file_size;
  if (r.destination !== null) e.destination = r.destination;
  return e;
}

export const EVENT_COLUMNS = 'id, type, app_id, room_id, conf_num, occurred_at, received_at, body, raw, content_type, dedupe_key, files, stage, file_size, destination';

/** Values in EVENT_COLUMNS order. JSON goes as text: node-postgres would turn a JS array into a PostgreSQL array. */
export function eventValues(e: RelayEvent): unknown[] {
  const occurred = e.occurredAt === null ? NaN : Date.parse(e.occurredAt);
  return [
    e.id,
    noNul(e.type),
    noNul(e.appId),
    noNul(e.roomId),
    noNul(e.confNum),
    Number.isNaN(occurred) ? null : new Date(occurred),
    toDate(e.receivedAt),
    JSON.stringify(e.body),
    e.raw,
    noNul(e.contentType),
    noNul(e.dedupeKey),
    JSON.stringify(e.files),
    e.stage ?? null,
    e.fileSize ?? null,
    e.destination === undefined ? null : JSON.stringify(e.destination),
  ];
}

import type { DeliveryColumns } from '../delivery-row.js';
export { deliveryFromRow } from '../delivery-row.js';
