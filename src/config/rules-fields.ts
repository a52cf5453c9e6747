import type { RelayEvent } from '../domain/event.js';
import { eventView } from '../domain/event-view.js';
import { relayEventFields } from '../relay-events/catalog.js';

/**
 * Top-level fields a template may read: EnableX's documented names and the relay's derived ones,
 * plus whatever the example events actually carry. A name outside this set is almost always a
 * typo (`romo_id`) that would otherwise render empty in every message. Relay events are routed
 * by the same rules, so their fields (`copies`, `cause`, `about`, ...) are known too.
 */
export const DOCUMENTED_FIELDS = [
  'type',
  'app_id',
  'room_id',
  'conf_num',
  'trans_date',
  'recording',
  'stage',
  'file_size',
  'destination',
  'files',
  'id',
  'received_at',
  'occurred_at',
  'file_size_bytes',
  'expires_at',
] as const;

export function rulesKnownFields(examples: readonly RelayEvent[]): Set<string> {
  const known = new Set<string>([...DOCUMENTED_FIELDS, ...relayEventFields()]);
  for (const e of examples) for (const k of Object.keys(eventView(e))) known.add(k);
  return known;
}
