import type { EventView } from '../domain/event-view.js';
import type { EventDescription } from '../delivery/messages/event-description.js';
import { RELAY_ENVELOPE_FIELDS } from './create-relay-event.js';
import type { RelayEventType } from './relay-event.js';
import { sessionFacts, text } from './types/describe-helpers.js';
import { MIRROR_FAILED, MIRROR_FIELDS, MIRRORED } from './types/recording-mirror.js';
import { describeMirrored, describeMirrorFailed, mirrorSummary } from './types/recording-mirror-messages.js';
import { SESSION_OVERDUE, SESSION_RECOVERED, SESSION_WATCH_FIELDS } from './types/session-overdue.js';
import { describeOverdue, describeRecovered, overdueSummary } from './types/session-overdue-messages.js';

/** What the relay knows about one relay event type: its fields and its built-in message. */
export interface RelayEventTypeSpec {
  type: RelayEventType;
  /** Its own fields beyond the envelope: rules checks know them as template fields. */
  fields: readonly string[];
  /** The built-in message (Slack, email), as for EnableX's types. */
  describe(view: EventView): EventDescription;
  /** The tail of its log line: "2 files (46.0 MiB) to s3://...". */
  summary(view: EventView): string;
}

/** Every relay event type; a new one is a file under types/ and a line here. */
const SPECS: RelayEventTypeSpec[] = [
  { type: MIRRORED, fields: MIRROR_FIELDS, describe: describeMirrored, summary: mirrorSummary },
  { type: MIRROR_FAILED, fields: MIRROR_FIELDS, describe: describeMirrorFailed, summary: mirrorSummary },
  { type: SESSION_OVERDUE, fields: SESSION_WATCH_FIELDS, describe: describeOverdue, summary: overdueSummary },
  { type: SESSION_RECOVERED, fields: SESSION_WATCH_FIELDS, describe: describeRecovered, summary: overdueSummary },
];

const BY_TYPE = new Map(SPECS.map((s) => [s.type as string, s]));

export const RELAY_EVENT_TYPES: readonly string[] = SPECS.map((s) => s.type);

export function relayEventSpec(type: string): RelayEventTypeSpec | undefined {
  return BY_TYPE.get(type);
}

/** Fields of the envelope and of every relay event type, for the template checks. */
export function relayEventFields(): string[] {
  return [...new Set([...RELAY_ENVELOPE_FIELDS, ...SPECS.flatMap((s) => s.fields)])];
}

/** The built-in message of a relay event; a type this version does not know is said plainly. */
export function describeRelayEvent(view: EventView): EventDescription {
  const spec = relayEventSpec(view.type);
  if (spec) return spec.describe(view);
  return {
    type: view.type,
    known: false,
    title: `enx-relay: ${text(view.type)}`,
    headline: `The relay reported "${text(view.type)}".`,
    facts: sessionFacts(view),
    files: [],
    expiresAt: null,
    notes: [],
  };
}

export function relaySummary(view: EventView): string {
  return relayEventSpec(view.type)?.summary(view) ?? '';
}
