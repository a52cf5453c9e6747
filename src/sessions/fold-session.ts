import type { SessionId } from './session-key.js';
import type { SessionEventRef, SessionFacts, SessionRecord, SessionWatch } from './session-types.js';

/** One stored contribution: an event's facts (session_events). */
export interface SessionEventRow {
  eventId: string;
  type: string;
  receivedAt: string;
  /** Identity of the contribution (the event's dedupe key): a total order that no arrival decides. */
  factKey: string;
  facts: SessionFacts;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byArrival = (a: SessionEventRef, b: SessionEventRef): number => cmp(a.receivedAt, b.receivedAt) || cmp(a.id, b.id);
const MIRROR_RANK = { mirrored: 0, failed: 1, pending: 2 } as const;

/**
 * The record of a session from its rows, deterministically: rows are taken in factKey order and
 * every list is deduplicated and sorted by content, so any arrival order (with repeats) folds to
 * the same record.
 */
/** The session's row (complete whatever its size), for a fold of only some of its rows. */
export interface SessionBounds {
  firstAt: string;
  lastAt: string;
  endedAt: string | null;
}

/**
 * `whole`: given when `rows` are not all of them (a hostile session past the store's cap): when
 * it ended and its first and last arrival are then the session row's, not those of the rows read
 * (a roomdrop left out would otherwise read as "not yet ended").
 */
export function foldSession(key: string, id: SessionId, rows: SessionEventRow[], watches: SessionWatch[], whole?: SessionBounds): SessionRecord {
  const sorted = [...rows].sort((a, b) => cmp(a.factKey, b.factKey) || cmp(a.eventId, b.eventId));
  const r: SessionRecord = {
    key,
    ...id,
    firstAt: '',
    lastAt: '',
    endedAt: null,
    recordings: [],
    transcoded: [],
    transfers: [],
    mirrored: [],
    unknown: [],
    events: [],
    watches: [...watches].sort((a, b) => cmp(a.name, b.name)),
  };
  const recordings = new Map<string, SessionRecord['recordings'][number]>();
  const transcoded = new Map<string, SessionRecord['transcoded'][number]>();
  const transfers = new Map<string, SessionRecord['transfers'][number]>();
  const mirrored = new Map<string, SessionRecord['mirrored'][number]>();
  const events = new Map<string, SessionEventRef>();
  for (const row of sorted) {
    const ref = { id: row.eventId, type: row.type, receivedAt: row.receivedAt };
    events.set(row.eventId, ref);
    const f = row.facts;
    if (f.endedAt !== undefined && (r.endedAt === null || f.endedAt < r.endedAt)) r.endedAt = f.endedAt;
    for (const file of f.recordings ?? []) if (!recordings.has(file.name)) recordings.set(file.name, { ...file, eventId: row.eventId });
    if (f.transcoded) {
      const k = JSON.stringify([f.transcoded.stage, f.transcoded.name]);
      if (!transcoded.has(k)) transcoded.set(k, { ...f.transcoded, eventId: row.eventId });
    }
    if (f.transfer) {
      const files = [...f.transfer.files].sort((a, b) => cmp(a.name, b.name) || cmp(a.url, b.url));
      const k = JSON.stringify([f.transfer.destination, files.map((x) => x.name)]);
      if (!transfers.has(k)) transfers.set(k, { destination: f.transfer.destination, files, eventId: row.eventId });
    }
    if (f.mirror) {
      for (const c of f.mirror.copies) {
        const k = JSON.stringify([f.mirror.destination, c.name]);
        const had = mirrored.get(k);
        if (!had || MIRROR_RANK[c.status] < MIRROR_RANK[had.status]) mirrored.set(k, { ...c, destination: f.mirror.destination, target: f.mirror.target, eventId: row.eventId });
      }
    }
    if (f.unknown) r.unknown.push(ref);
  }
  r.recordings = [...recordings.values()].sort((a, b) => cmp(a.name, b.name));
  r.transcoded = [...transcoded.values()].sort((a, b) => (a.stage ?? Infinity) - (b.stage ?? Infinity) || cmp(a.name ?? '', b.name ?? ''));
  r.transfers = [...transfers.entries()].sort(([a], [b]) => cmp(a, b)).map(([, t]) => t);
  r.mirrored = [...mirrored.entries()].sort(([a], [b]) => cmp(a, b)).map(([, m]) => m);
  r.unknown.sort(byArrival);
  r.events = [...events.values()].sort(byArrival);
  r.firstAt = r.events[0]?.receivedAt ?? '';
  r.lastAt = r.events[r.events.length - 1]?.receivedAt ?? '';
  if (whole) Object.assign(r, { firstAt: whole.firstAt, lastAt: whole.lastAt, endedAt: whole.endedAt });
  return r;
}
