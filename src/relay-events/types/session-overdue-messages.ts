import type { EventView } from '../../domain/event-view.js';
import type { EventDescription, Fact } from '../../delivery/messages/event-description.js';
import { sessionFacts, text, where } from './describe-helpers.js';

/** The built-in messages (Slack, email, log) of relay.session.overdue and .recovered. */
export function describeOverdue(view: EventView): EventDescription {
  const w = read(view);
  const facts: Fact[] = [
    ...sessionFacts(view),
    { label: 'Expectation', value: w.name },
    { label: 'Missing', value: w.then },
    { label: `Waiting since (${w.after})`, value: w.since, time: w.since },
    { label: 'Was due', value: w.dueAt, time: w.dueAt },
    { label: 'Arrived', value: w.arrived.length ? w.arrived.join(', ') : 'nothing else' },
  ];
  return {
    type: view.type,
    known: true,
    title: `Overdue: ${w.then} missing`,
    headline: `No ${w.then} event came for ${where(view)} within ${w.within} of its ${w.after} (expectation "${w.name}").`,
    facts,
    files: [],
    expiresAt: null,
    notes: [`Session: ${w.key}`, `If it comes late, relay.session.recovered follows.`],
  };
}

export function describeRecovered(view: EventView): EventDescription {
  const w = read(view);
  const facts: Fact[] = [
    ...sessionFacts(view),
    { label: 'Expectation', value: w.name },
    { label: 'Arrived', value: w.then },
    ...(w.arrivedAt ? [{ label: 'Arrived at', value: w.arrivedAt, time: w.arrivedAt }] : []),
    { label: `Since (${w.after})`, value: w.since, time: w.since },
    { label: 'Was due', value: w.dueAt, time: w.dueAt },
  ];
  return {
    type: view.type,
    known: true,
    title: `Recovered: ${w.then} arrived`,
    headline: `The ${w.then} event of ${where(view)} came after all, later than ${w.within} after its ${w.after} (expectation "${w.name}").`,
    facts,
    files: [],
    expiresAt: null,
    notes: [`Session: ${w.key}`],
  };
}

/** "recording missing for 2h after roomdrop" for log lines. */
export function overdueSummary(view: EventView): string {
  const w = read(view);
  return view.type === 'relay.session.recovered'
    ? `${w.then} arrived late for "${w.name}" (due ${w.within} after ${w.after}, ${w.dueAt})`
    : `${w.then} missing ${w.within} after ${w.after} (since ${w.since}) for "${w.name}"`;
}

/** The event's own fields, read defensively: an event stored by an older version still renders. */
function read(view: EventView): { key: string; name: string; after: string; then: string; since: string; dueAt: string; within: string; arrived: string[]; arrivedAt: string | null } {
  return {
    key: text(view.session_key),
    name: text(view.expectation),
    after: text(view.after),
    then: text(view.then),
    since: text(view.since),
    dueAt: text(view.due_at),
    within: text(view.within),
    arrived: Array.isArray(view.arrived) ? view.arrived.map((t) => text(t)) : [],
    arrivedAt: typeof view.arrived_at === 'string' ? view.arrived_at : null,
  };
}
