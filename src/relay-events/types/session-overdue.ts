import { KNOWN_TYPES } from '../../domain/event.js';
import type { DueWatch } from '../../sessions/session-types.js';
import type { RelayEventDraft } from '../relay-event.js';

export const SESSION_OVERDUE = 'relay.session.overdue';
export const SESSION_RECOVERED = 'relay.session.recovered';

/** Their own fields (besides the envelope, which carries app_id, room_id and conf_num). */
export const SESSION_WATCH_FIELDS = ['session_key', 'expectation', 'after', 'then', 'arrived', 'missing', 'since', 'due_at', 'within', 'arrived_at'] as const;

/**
 * relay.session.overdue: the expectation's `then` event did not come within `within` of the
 * session's `after` event. Once per session and expectation (`once`), whoever publishes it.
 */
export function overdueDraft(d: DueWatch): RelayEventDraft {
  return {
    type: SESSION_OVERDUE,
    session: { appId: d.appId, roomId: d.roomId, confNum: d.confNum },
    once: `${d.key}:${d.watch.name}`,
    fields: watchFields(d, null),
  };
}

/** relay.session.recovered: the missing event came after the overdue. Once, after it. */
export function recoveredDraft(d: DueWatch, arrivedAt: string | null): RelayEventDraft {
  return {
    type: SESSION_RECOVERED,
    session: { appId: d.appId, roomId: d.roomId, confNum: d.confNum },
    once: `${d.key}:${d.watch.name}:recovered`,
    fields: watchFields(d, arrivedAt),
  };
}

function watchFields(d: DueWatch, arrivedAt: string | null): Record<string, unknown> {
  const w = d.watch;
  const fields: Record<string, unknown> = {
    session_key: d.key,
    expectation: w.name,
    after: w.afterType,
    then: w.thenType,
    // What the session had when this was written, relay events aside.
    arrived: arrivedTypes(d.typesSeen),
    missing: arrivedAt === null ? [w.thenType] : [],
    since: w.afterAt,
    due_at: w.dueAt,
    within: formatWithin(Date.parse(w.dueAt) - Date.parse(w.afterAt)),
  };
  if (arrivedAt !== null) fields.arrived_at = arrivedAt;
  return fields;
}

/** How many types `arrived` lists at most: a session may have any number of unknown ones. */
export const ARRIVED_LISTED = 20;

/**
 * The types the session had, sorted, relay session events aside: EnableX's own types always,
 * then the others (unknown types, a mirror's) up to ARRIVED_LISTED in all, so a session with
 * thousands of made-up types neither swells the event nor hides its recording.
 */
export function arrivedTypes(typesSeen: readonly string[]): string[] {
  const seen = typesSeen.filter((t) => !t.startsWith('relay.session.'));
  const known = new Set<string>(KNOWN_TYPES);
  const kept = new Set([...seen.filter((t) => known.has(t)), ...seen.filter((t) => !known.has(t))].slice(0, Math.max(ARRIVED_LISTED, 0)));
  return seen.filter((t) => kept.has(t));
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** 7200000 -> "2h", as the rules write it (the largest unit that divides it). */
export function formatWithin(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  for (const [u, n] of UNITS) if (ms >= n && ms % n === 0) return `${ms / n}${u}`;
  return `${ms}ms`;
}
