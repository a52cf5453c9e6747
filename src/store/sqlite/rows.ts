import type { RelayEvent } from '../../domain/event.js';

/** Stored times are integer ms (UTC); the domain speaks ISO-8601. */
export function toMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not a date: ${JSON.stringify(iso)}`);
  return ms;
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

export interface EventRow {
  id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  occurred_at: number | null;
  received_at: number;
  body: string;
  raw: Buffer;
  content_type: string | null;
  dedupe_key: string;
  files: string;
  stage: number | null;
  file_size: number | null;
  destination: string | null;
}

export interface DeliveryRow extends DeliveryColumns<number> {
  seq: number;
}

export function eventFromRow(r: EventRow): RelayEvent {
  const e: RelayEvent = {
    id: r.id,
    type: r.type,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    occurredAt: toIsoOrNull(r.occurred_at),
    receivedAt: toIso(r.received_at),
    files: JSON.parse(r.files) as RelayEvent['files'],
    body: JSON.parse(r.body) as RelayEvent['body'],
    raw: r.raw,
    contentType: r.content_type,
    dedupeKey: r.dedupe_key,
  };
  // Optional fields stay absent rather than undefined, so a read-back deep-equals what was stored.
  if (r.stage !== null) e.stage = r.stage;
  if (r.file_size !== null) e.fileSize = r.file_size;
  if (r.destination !== null) e.destination = JSON.parse(r.destination) as RelayEvent['destination'];
  return e;
}

export function eventToParams(e: RelayEvent): Record<string, unknown> {
  const occurred = e.occurredAt === null ? NaN : Date.parse(e.occurredAt);
  return {
    id: e.id,
    type: e.type,
    app_id: e.appId,
    room_id: e.roomId,
    conf_num: e.confNum,
    occurred_at: Number.isNaN(occurred) ? null : occurred,
    received_at: toMs(e.receivedAt),
    body: JSON.stringify(e.body),
    raw: e.raw,
    content_type: e.contentType,
    dedupe_key: e.dedupeKey,
    files: JSON.stringify(e.files),
    stage: e.stage ?? null,
    file_size: e.fileSize ?? null,
    destination: e.destination === undefined ? null : JSON.stringify(e.destination),
  };
}

import type { DeliveryColumns } from '../delivery-row.js';
export { deliveryFromRow } from '../delivery-row.js';
