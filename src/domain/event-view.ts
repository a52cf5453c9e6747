import { PORTAL_LINK_LIFETIME_MS, type RelayEvent } from './event.js';
import { isRelayType } from '../relay-events/relay-event.js';

/**
 * What rules and templates see: the event under EnableX's own field names (as admins read them in
 * the vendor's docs), plus derived fields. Derived names win over body fields of the same name:
 * `files` is always the list of every file URL (normalized), and `destination.name` the storage
 * name as normalized (lower case).
 */
export type EventView = Record<string, unknown> & {
  id: string;
  type: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  received_at: string;
  occurred_at: string | null;
  files: string[];
  file_size_bytes: number | null;
  expires_at: string | null;
};

export function eventView(e: RelayEvent): EventView {
  const occurred = e.occurredAt ? Date.parse(e.occurredAt) : NaN;
  const sent = e.body.destination;
  return {
    ...e.body,
    ...(e.destination ? { destination: { ...(sent && typeof sent === 'object' && !Array.isArray(sent) ? sent : {}), ...e.destination } } : {}),
    id: e.id,
    type: e.type,
    app_id: e.appId,
    room_id: e.roomId,
    conf_num: e.confNum,
    received_at: e.receivedAt,
    occurred_at: e.occurredAt,
    files: e.files.map((f) => f.url),
    file_size_bytes: e.fileSize ?? null,
    // A relay event has no portal links of its own; one about files carries theirs.
    expires_at: isRelayType(e.type) ? (typeof e.body.expires_at === 'string' ? e.body.expires_at : null) : isoOrNull(occurred + PORTAL_LINK_LIFETIME_MS),
  };
}

/** Never throws: an event stored before a stricter reading of `trans_date` still renders. */
function isoOrNull(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
