import { v7 as uuidv7 } from 'uuid';
import type { RelayEvent } from '../domain/event.js';
import { RELAY_TYPE_PREFIX } from '../relay-events/relay-event.js';
import { acceptPayload } from './accept.js';
import { dedupeKey } from './dedupe-key.js';
import { occurredAt } from './occurred-at.js';
import { parseBody } from './parse.js';

/**
 * For previews only (`enx-relay route`, routing test cases, the admin route test): an EnableX
 * body is read exactly as the webhook reads it, and a relay event's body (`relay.session.overdue`,
 * as a receiver saw it) is taken as that relay event, so rules for the relay's own events can be
 * tried and pinned. The webhook never takes one (acceptPayload refuses `relay.*`).
 */
export function acceptPreviewPayload(raw: Buffer, contentType: string | null, receivedAt: Date): RelayEvent {
  const body = parseBody(raw);
  if (typeof body.type !== 'string' || !body.type.startsWith(RELAY_TYPE_PREFIX)) return acceptPayload(raw, contentType, receivedAt);
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    id: uuidv7(),
    type: body.type,
    appId: text(body.app_id),
    roomId: text(body.room_id),
    confNum: text(body.conf_num),
    occurredAt: occurredAt(body.trans_date),
    receivedAt: receivedAt.toISOString(),
    // A relay event carries no portal files of its own (create-relay-event.ts).
    files: [],
    body,
    raw,
    contentType,
    dedupeKey: dedupeKey(body),
  };
}
