import type { EventView } from '../../domain/event-view.js';
import type { EventDescription, Fact } from '../../delivery/messages/event-description.js';
import { text } from './describe-helpers.js';

/** The built-in messages (Slack, email, log) of relay.destination.failing and .recovered. */
export function describeFailing(view: EventView): EventDescription {
  const f = readFailing(view);
  const last = f.errors[f.errors.length - 1];
  const facts: Fact[] = [
    { label: 'Destination', value: f.destination },
    { label: 'Waiting', value: String(f.waiting) },
    ...(f.oldestWaitingAt ? [{ label: 'Oldest waiting since', value: f.oldestWaitingAt, time: f.oldestWaitingAt }] : []),
    { label: 'Last success', value: f.lastSuccessAt ?? 'none yet', ...(f.lastSuccessAt ? { time: f.lastSuccessAt } : {}) },
    { label: 'Failing since', value: f.failingSince, time: f.failingSince },
  ];
  return {
    type: view.type,
    known: true,
    title: `Destination ${f.destination} is failing`,
    headline: `Nothing reached ${f.destination} for ${f.failingAfter} or more while ${f.waiting} ${f.waiting === 1 ? 'delivery' : 'deliveries'} waited${last ? `; last error: ${clip(last.error, 200)}` : ''}.`,
    facts,
    files: [],
    expiresAt: null,
    notes: [
      ...f.errors
        .slice()
        .reverse()
        .map((e) => `${e.at}: ${clip(e.error, 300)}`),
      `Deliveries keep being retried on their schedule; a "recovered" message follows the first success. Dead ones: enx-relay replay --status dead --destination ${f.destination}`,
    ],
  };
}

export function describeRecovered(view: EventView): EventDescription {
  const r = readRecovered(view);
  return {
    type: view.type,
    known: true,
    title: `Destination ${r.destination} recovered`,
    headline: `${r.destination} accepts deliveries again, after failing for ${r.downFor}.`,
    facts: [
      { label: 'Destination', value: r.destination },
      { label: 'Failing since', value: r.failingSince, time: r.failingSince },
      { label: 'Recovered at', value: r.recoveredAt, time: r.recoveredAt },
      { label: 'Down for', value: r.downFor },
    ],
    files: [],
    expiresAt: null,
    notes: [],
  };
}

/** "api-hook: 12 waiting since ..., last error: ..." / "api-hook after 12m 30s" for log lines. */
export function failingSummary(view: EventView): string {
  const f = readFailing(view);
  const last = f.errors[f.errors.length - 1];
  return `${f.destination}: ${f.waiting} waiting${f.oldestWaitingAt ? ` since ${f.oldestWaitingAt}` : ''}${last ? `, last error: ${clip(last.error, 200)}` : ''}`;
}

export function recoveredSummary(view: EventView): string {
  const r = readRecovered(view);
  return `${r.destination} after ${r.downFor}`;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const isoOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The event's own fields, read defensively: an event stored by an older version still renders. */
function readFailing(view: EventView): { destination: string; failingSince: string; failingAfter: string; lastSuccessAt: string | null; errors: { at: string; error: string }[]; waiting: number; oldestWaitingAt: string | null } {
  const errors = Array.isArray(view.last_errors) ? (view.last_errors as unknown[]) : [];
  return {
    destination: text(view.destination),
    failingSince: text(view.failing_since),
    failingAfter: text(view.failing_after),
    lastSuccessAt: isoOrNull(view.last_success_at),
    errors: errors.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object').map((e) => ({ at: text(e.at), error: text(e.error, '') })),
    waiting: typeof view.waiting === 'number' ? view.waiting : 0,
    oldestWaitingAt: isoOrNull(view.oldest_waiting_at),
  };
}

function readRecovered(view: EventView): { destination: string; failingSince: string; recoveredAt: string; downFor: string } {
  return { destination: text(view.destination), failingSince: text(view.failing_since), recoveredAt: text(view.recovered_at), downFor: text(view.down_for) };
}
