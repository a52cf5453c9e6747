import type { RelayEvent } from '../../domain/event.js';
import type { RelayEventDraft } from '../relay-event.js';

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
