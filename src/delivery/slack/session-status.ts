import type { SessionRecord, SessionWatch } from '../../sessions/session-types.js';
import { transferTarget } from '../messages/transfer-target.js';

/** `17:02`: a time of the status line, in UTC (the line says so once). */
export function clockUtc(iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? '?' : new Date(t).toISOString().slice(11, 16);
}

/** What a watch still waits for, by its expectation's `then` type. */
export function awaitedText(w: Pick<SessionWatch, 'thenType'>): string {
  switch (w.thenType) {
    case 'roomdrop':
      return 'not yet ended';
    case 'recording':
      return 'recording not yet arrived';
    case 'transcoded':
      return 'transcoded file not yet arrived';
    case 'file-transfer':
      return 'files not yet delivered to storage';
    case 'relay.recording.mirrored':
      return 'not yet mirrored';
    default:
      return `${shortName(w.thenType)} not yet arrived`;
  }
}

/** The longest name (a storage, a mirror, an awaited type) the line shows, and how many storages. */
const NAME_MAX = 60;
const DELIVERED_LISTED = 3;

/**
 * A name from an event (a transfer's storage) as one short run of text: whitespace (a newline
 * would forge a line of its own under the message) as one space, and at most NAME_MAX characters,
 * so no name can push what is still awaited off the end of the line or past Slack's limits.
 */
export function shortName(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= NAME_MAX ? one : `${one.slice(0, NAME_MAX - 1)}…`;
}

/** A watch still open: its `then` event has not come. */
export const isAwaited = (w: SessionWatch): boolean => w.state === 'waiting' || w.state === 'overdue';

/**
 * The thread parent's status line, drawn from the session's record (every event of it so far, in
 * whatever order they came): what is done, then what is still awaited.
 * "ended 17:02 · recording ready 17:09 · transcoded 2 of ? · delivered to S3 · files not yet
 * delivered to storage (overdue since 17:40) · times UTC". Plain text: the caller escapes it for mrkdwn.
 */
export function statusLine(r: SessionRecord): string {
  const at = new Map(r.events.map((e) => [e.id, e.receivedAt]));
  const latest = (ids: string[]): string | null => ids.map((id) => at.get(id) ?? '').reduce((a, b) => (b > a ? b : a), '') || null;
  const parts: string[] = [];
  let timed = false;
  const time = (iso: string | null): string => ((timed = true), clockUtc(iso));
  if (r.endedAt) parts.push(`ended ${time(r.endedAt)}`);
  if (r.recordings.length > 0) {
    const what = r.recordings.length === 1 ? 'recording ready' : `${r.recordings.length} recordings ready`;
    parts.push(`${what} ${time(latest(r.recordings.map((f) => f.eventId)))}`);
  }
  // EnableX never says how many stages a session will have.
  if (r.transcoded.length > 0) parts.push(`transcoded ${r.transcoded.length} of ?`);
  const delivered = unique(r.transfers.map((t) => shortName(transferTarget(t.destination).short)));
  if (delivered.length > 0) {
    const rest = delivered.length - DELIVERED_LISTED;
    parts.push(`delivered to ${delivered.slice(0, DELIVERED_LISTED).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`);
  }
  const byDest = new Map<string, { mirrored: number; failed: number; pending: number }>();
  for (const m of r.mirrored) {
    const name = shortName(m.destination ?? 'mirror');
    const n = byDest.get(name) ?? { mirrored: 0, failed: 0, pending: 0 };
    n[m.status]++;
    byDest.set(name, n);
  }
  for (const [name, n] of byDest) {
    const total = n.mirrored + n.failed + n.pending;
    if (n.mirrored > 0) parts.push(n.mirrored === total ? `copied to ${name}` : `copied ${n.mirrored} of ${total} files to ${name}`);
    if (n.failed > 0) parts.push(`copy to ${name} failed`);
    else if (n.pending > 0) parts.push(`copying to ${name}`);
  }
  if (r.unknown.length > 0) parts.push(`${r.unknown.length} other event${r.unknown.length === 1 ? '' : 's'}`);
  const awaited = r.watches.filter(isAwaited);
  for (const text of unique(awaited.map((w) => awaitedText(w) + (w.state === 'overdue' ? ` (overdue since ${time(w.dueAt)})` : '')))) parts.push(text);
  if (timed) parts.push('times UTC');
  return parts.join(' · ');
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
