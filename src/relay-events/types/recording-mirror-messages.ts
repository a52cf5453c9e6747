import type { EventView } from '../../domain/event-view.js';
import type { DescribedFile, EventDescription, Fact } from '../../delivery/messages/event-description.js';
import { formatBytes } from '../../templates/format.js';
import { count, sessionFacts, text, where } from './describe-helpers.js';
import type { MirrorCopy } from './recording-mirror.js';

/** The built-in messages (Slack, email, log) of relay.recording.mirrored and .mirror_failed. */
export function describeMirrored(view: EventView): EventDescription {
  const m = read(view);
  const n = m.copies.length;
  const links = m.copies.map((c) => c.link_expires_at).filter((t): t is string => !!t);
  const facts: Fact[] = [
    ...sessionFacts(view),
    { label: 'Copied to', value: m.target },
    { label: 'Files', value: String(n) },
    { label: 'Size', value: formatBytes(m.bytes) || '?' },
    ...(links.length > 0 ? [{ label: 'Links work until', value: links[0]!, time: links[0]! }] : []),
  ];
  return {
    type: view.type,
    known: true,
    title: `${m.what} mirrored`,
    headline: `${count(n, 'file')} of ${where(view)} ${n === 1 ? 'was' : 'were'} copied to ${m.destination} (${m.target}).`,
    facts,
    files: m.copies.map(describedCopy),
    expiresAt: null,
    notes: [...(m.causeId ? [`Source event: ${m.causeId}`] : [])],
  };
}

export function describeMirrorFailed(view: EventView): EventDescription {
  const m = read(view);
  const failed = m.copies.filter((c) => c.status === 'failed');
  const pending = m.copies.filter((c) => c.status === 'pending').length;
  const first = failed[0];
  const replay = `enx-relay replay --status dead --destination ${m.destination}`;
  const notes: string[] = [];
  if (failed.some((c) => c.reason === 'source_auth')) {
    notes.push(`The portal refused the "recording access" credentials (source_auth of destination ${m.destination}): correct them, then: ${replay}`);
  } else if (failed.some((c) => c.reason === 'expired')) {
    notes.push('Portal links work for 72 hours after the files are ready; past that a file can no longer be fetched from them.');
  } else notes.push(`Once the cause is fixed: ${replay}`);
  if (pending > 0) notes.push(`${count(pending, 'more file')} ${pending === 1 ? 'is' : 'are'} still being tried.`);
  if (m.causeId) notes.push(`Source event: ${m.causeId}`);
  const facts: Fact[] = [
    ...sessionFacts(view),
    { label: 'Copy to', value: m.target },
    { label: 'Failed', value: String(failed.length) },
    { label: 'Copied', value: String(m.copies.filter((c) => c.status === 'mirrored').length) },
    ...(pending > 0 ? [{ label: 'Still trying', value: String(pending) }] : []),
    ...(m.expiresAt ? [{ label: 'Portal links expire', value: m.expiresAt, time: m.expiresAt }] : []),
  ];
  return {
    type: view.type,
    known: true,
    title: `${m.what} copy failed`,
    headline: `${failed.length} of ${count(m.copies.length, 'file')} of ${where(view)} could not be copied to ${m.destination}${first ? `: ${reasonText(first)}` : ''}.`,
    facts,
    // The failed files first: they are what the reader must act on.
    files: [...failed, ...m.copies.filter((c) => c.status !== 'failed')].map(describedCopy),
    expiresAt: null,
    notes,
  };
}

/** "2 files to s3://b/p/" for log lines. */
export function mirrorSummary(view: EventView): string {
  const m = read(view);
  const failed = m.copies.filter((c) => c.status === 'failed');
  if (failed.length === 0) return `${count(m.copies.length, 'file')} (${formatBytes(m.bytes) || '?'}) to ${m.target}: ${m.copies.map((c) => c.location ?? '?').join(' ')}`;
  return `${failed.length} of ${count(m.copies.length, 'file')} failed to ${m.target}: ${failed.map((c) => `${c.file_name} (${c.reason ?? 'failed'})`).join(' ')}`;
}

const REASONS: Record<string, string> = {
  source_auth: 'the portal refused the recording-access credentials',
  expired: 'the portal link expired first',
  not_found: 'the portal never served the file',
  size_mismatch: 'the file kept arriving with another size than announced',
};

function reasonText(c: MirrorCopy): string {
  return REASONS[c.reason ?? ''] ?? (c.error ? c.error.slice(0, 200) : c.reason ?? 'failed');
}

function describedCopy(c: MirrorCopy): DescribedFile {
  const size = c.size === null ? '' : formatBytes(c.size);
  const detail =
    c.status === 'mirrored'
      ? [size, c.sha256 ? `sha256 ${c.sha256}` : ''].filter(Boolean).join(' · ')
      : c.status === 'failed'
        ? `failed (${c.reason ?? 'error'}): ${(c.error ?? '').slice(0, 300)}`
        : `still trying${c.error ? ` (last: ${c.error.slice(0, 200)})` : ''}`;
  const https = typeof c.link === 'string' && /^https:\/\//i.test(c.link);
  return { url: https ? c.link! : (c.location ?? c.source_url), name: c.file_name, linkable: https, detail };
}

/** The announcement's own fields, read defensively: an event stored by an older version still renders. */
function read(view: EventView): { what: string; destination: string; target: string; copies: MirrorCopy[]; bytes: number; causeId: string | null; expiresAt: string | null } {
  const cause = (view.cause ?? {}) as Record<string, unknown>;
  const about = (view.about ?? {}) as Record<string, unknown>;
  const copies = Array.isArray(view.copies) ? (view.copies.filter((c) => c && typeof c === 'object') as MirrorCopy[]) : [];
  const what = cause.type === 'recording' ? 'Recording' : cause.type === 'transcoded' ? 'Transcoded file' : 'Files';
  return {
    what,
    destination: text(about.destination),
    target: text(view.target),
    copies: copies.map((c) => ({ ...c, file_name: text(c.file_name), source_url: text(c.source_url) })),
    bytes: typeof view.bytes_mirrored === 'number' ? view.bytes_mirrored : 0,
    causeId: typeof cause.event_id === 'string' ? cause.event_id : null,
    expiresAt: typeof view.expires_at === 'string' ? view.expires_at : null,
  };
}
