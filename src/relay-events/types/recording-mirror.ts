import type { RelayEvent } from '../../domain/event.js';
import type { EventView } from '../../domain/event-view.js';
import type { DescribedFile, EventDescription, Fact } from '../../delivery/messages/event-description.js';
import { formatBytes } from '../../templates/format.js';
import type { RelayEventDraft } from '../relay-event.js';
import { count, sessionFacts, text, where } from './describe-helpers.js';

export const MIRRORED = 'relay.recording.mirrored';
export const MIRROR_FAILED = 'relay.recording.mirror_failed';

/** One file of the event that was mirrored, as the announcement tells it. */
export interface MirrorCopy {
  file_name: string;
  source_url: string;
  status: 'mirrored' | 'failed' | 'pending';
  /** `s3://bucket/key` or an absolute path: where the copy is (or was to be). */
  location: string | null;
  size: number | null;
  sha256: string | null;
  /** A presigned HTTPS link to the copy (`presign:`), and when it stops working. */
  link?: string;
  link_expires_at?: string;
  /** Failed: why (`source_auth`, `expired`, `not_found`, ...), with the readable error. Pending: the last try's. */
  reason?: string;
  error?: string;
}

export const MIRROR_FIELDS = ['target', 'copies', 'files_total', 'files_mirrored', 'files_failed', 'files_pending', 'bytes_mirrored', 'expires_at'] as const;

export interface MirrorAnnouncementInput {
  /** The EnableX event whose files these are. */
  source: RelayEvent;
  /** The mirror destination's name. */
  destination: string;
  /** `s3://bucket/prefix/` or `file:///dir`. */
  target: string;
  copies: MirrorCopy[];
  /** When the portal links of the source stop working. */
  expiresAt: string | null;
}

/**
 * The announcement a mirror owes once every file is mirrored (`relay.recording.mirrored`) or a
 * file has ended dead (`relay.recording.mirror_failed`, listing every file as it stands); null
 * while files are still being tried and none failed. Once per destination and source event, and
 * for a failure once per set of failed files: a second file failing later is told, a retry that
 * fails the same way again is not.
 */
export function mirrorAnnouncement(input: MirrorAnnouncementInput): RelayEventDraft | null {
  const { source, copies } = input;
  const failed = copies.flatMap((c, i) => (c.status === 'failed' ? [i] : []));
  const mirrored = copies.filter((c) => c.status === 'mirrored');
  const allMirrored = copies.length > 0 && mirrored.length === copies.length;
  if (!allMirrored && failed.length === 0) return null;
  return {
    type: allMirrored ? MIRRORED : MIRROR_FAILED,
    session: { appId: source.appId, roomId: source.roomId, confNum: source.confNum },
    cause: { id: source.id, type: source.type },
    aboutDestination: input.destination,
    once: allMirrored ? `${input.destination}:${source.id}` : `${input.destination}:${source.id}:failed:${failed.join(',')}`,
    fields: {
      target: input.target,
      copies,
      files_total: copies.length,
      files_mirrored: mirrored.length,
      files_failed: failed.length,
      files_pending: copies.length - mirrored.length - failed.length,
      bytes_mirrored: mirrored.reduce((n, c) => n + (c.size ?? 0), 0),
      expires_at: input.expiresAt,
    },
  };
}

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
