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
  const derived: Record<string, unknown> = {
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
  if (e.destination) {
    const sent = e.body.destination;
    derived['destination'] = { ...(sent && typeof sent === 'object' && !Array.isArray(sent) ? sent : {}), ...e.destination };
  }
  // A target with no prototype: a body's own "__proto__" key stays a plain key (Object.assign
  // would otherwise set the view's prototype with it), and there is no prototype for a template
  // to reach. (Built this way it also costs a microsecond; spreading the body into a literal with
  // the derived fields cost about fifteen.)
  return Object.assign(Object.create(null) as object, e.body, derived) as EventView;
}

/** Never throws: an event stored before a stricter reading of `trans_date` still renders. */
function isoOrNull(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
