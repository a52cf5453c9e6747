import type { RelayEvent } from '../domain/event.js';

/**
 * Relay events: what only the relay knows (a recording was mirrored, a destination keeps
 * failing), told as events of its own, stored and routed by the same rules as EnableX's. Their
 * `type` starts with `relay.`; the intake refuses such types from outside, so the prefix is the
 * mark of the relay's own events, in the store as in the rules (`when: { type: "relay.*" }`).
 */
export const RELAY_TYPE_PREFIX = 'relay.';

/** `origin` in the body of every relay event, for receivers that see only the JSON. */
export const RELAY_ORIGIN = 'enx-relay';

export type RelayEventType = `relay.${string}`;

export function isRelayType(type: unknown): type is RelayEventType {
  return typeof type === 'string' && type.startsWith(RELAY_TYPE_PREFIX);
}

export function isRelayEvent(e: Pick<RelayEvent, 'type'>): boolean {
  return isRelayType(e.type);
}

/** What a producer (a mirror, a watchdog) says; createRelayEvent makes the event of it. */
export interface RelayEventDraft {
  type: RelayEventType;
  /** The video session it is about: its `app_id`, `room_id`, `conf_num`, so it joins the session's Slack thread. */
  session?: { appId: string; roomId: string; confNum: string };
  /** The event that led to it. Never a relay event: relay events do not cause relay events. */
  cause?: { id: string; type: string };
  /** A destination it is about: it is never delivered to that destination. */
  aboutDestination?: string;
  /** The type's own fields, snake_case as rules and templates read them. */
  fields: Record<string, unknown>;
  /**
   * Its identity: one relay event per type and `once`, however often it is published (a retried
   * send, a replay, two replicas at the same moment), while the store keeps the first.
   */
  once: string;
}

export type PublishResult =
  | { published: true; eventId: string; deliveries: number }
  /** `duplicate`: published before (eventId is that one); `loop`: refused, it would feed on itself. */
  | { published: false; eventId: string | null; reason: 'duplicate' | 'loop' };

/** Where producers hand their relay events. RelayEventPublisher is the relay's. */
export interface RelayEventSink {
  publish(draft: RelayEventDraft): Promise<PublishResult>;
}

/** The destination a relay event (its body or view) is about, or null. */
export function aboutDestination(fields: Record<string, unknown>): string | null {
  if (!isRelayType(fields.type)) return null;
  const about = fields.about;
  if (about === null || typeof about !== 'object' || Array.isArray(about)) return null;
  const d = (about as Record<string, unknown>).destination;
  return typeof d === 'string' && d !== '' ? d : null;
}
