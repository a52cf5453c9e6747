import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { RelayEvent } from '../domain/event.js';
import { RELAY_ORIGIN, type RelayEventDraft } from './relay-event.js';

/**
 * Names a type's fields may not use: the envelope every relay event shares, and the fields the
 * event view derives (a body field of that name would be shadowed anyway).
 */
export const RELAY_ENVELOPE_FIELDS = ['type', 'origin', 'trans_date', 'app_id', 'room_id', 'conf_num', 'cause', 'about'] as const;
const DERIVED = ['id', 'received_at', 'occurred_at', 'files', 'file_size_bytes'];
const RESERVED = new Set<string>([...RELAY_ENVELOPE_FIELDS, ...DERIVED]);

/**
 * A draft -> the event the store keeps. The body is the event as receivers see it (an `http`
 * destination with `body: original` sends exactly these bytes): the envelope, then the type's
 * fields. A relay event carries no portal files of its own (`files` is empty): nothing a mirror
 * could fetch, so an announcement can never be mirrored into another announcement.
 */
export function createRelayEvent(draft: RelayEventDraft, now: Date): RelayEvent {
  for (const key of Object.keys(draft.fields)) {
    if (RESERVED.has(key)) throw new Error(`relay event ${draft.type}: field "${key}" is reserved`);
  }
  const at = now.toISOString();
  const body: Record<string, unknown> = { type: draft.type, origin: RELAY_ORIGIN, trans_date: at };
  if (draft.session) Object.assign(body, { app_id: draft.session.appId, room_id: draft.session.roomId, conf_num: draft.session.confNum });
  if (draft.cause) body.cause = { event_id: draft.cause.id, type: draft.cause.type };
  if (draft.aboutDestination) body.about = { destination: draft.aboutDestination };
  Object.assign(body, draft.fields);
  return {
    id: uuidv7(),
    type: draft.type,
    // Not about a session: empty, and Slack and email then thread nothing under it.
    appId: draft.session?.appId ?? '',
    roomId: draft.session?.roomId ?? '',
    confNum: draft.session?.confNum ?? '',
    occurredAt: at,
    receivedAt: at,
    files: [],
    body,
    raw: Buffer.from(JSON.stringify(body), 'utf8'),
    contentType: 'application/json',
    dedupeKey: relayDedupeKey(draft),
  };
}

/** Unlike an EnableX body's key (a hash of its content), the draft's identity: type and `once`. */
export function relayDedupeKey(draft: Pick<RelayEventDraft, 'type' | 'once'>): string {
  return createHash('sha256').update(`relay-event\u0000${draft.type}\u0000${draft.once}`, 'utf8').digest('hex');
}
