import { formatSessionKey } from '../sessions/session-key.js';

/** The documented EnableX event types; any other `type` is accepted as an unknown kind. */
export const KNOWN_TYPES = ['roomdrop', 'recording', 'transcoded', 'file-transfer'] as const;
export type KnownType = (typeof KNOWN_TYPES)[number];

export interface FileRef {
  url: string;
}

export interface TransferDestination {
  name: string;
  host?: string;
  account?: string;
}

/**
 * One accepted EnableX notification, normalized. `body` is the parsed JSON exactly as sent and
 * `raw` the bytes as sent: downstream `body: original` deliveries forward `raw` unchanged.
 */
export interface RelayEvent {
  /** UUIDv7: sortable by arrival. */
  id: string;
  type: string;
  appId: string;
  roomId: string;
  confNum: string;
  /** ISO-8601 from `trans_date`; null when EnableX sent none we could read. */
  occurredAt: string | null;
  receivedAt: string;
  /** Every file URL the event carries, whatever field carried it (`recording` or `files`). */
  files: FileRef[];
  /** `transcoded`: sequence of the file within the session. */
  stage?: number;
  /** `transcoded`: size in bytes. */
  fileSize?: number;
  /** `file-transfer`: where the files went. */
  destination?: TransferDestination;
  body: Record<string, unknown>;
  raw: Buffer;
  contentType: string | null;
  /** Equal bodies give equal keys: a repeat inside the dedupe window is not delivered again. */
  dedupeKey: string;
}

/** Portal download links stop working 72 h after the files are ready. */
export const PORTAL_LINK_LIFETIME_MS = 72 * 3600 * 1000;

/**
 * The video session an event belongs to: Slack threads and mail threads follow it (their state
 * and order keys). `app/room/conf` as threads have always been stored, while that is one
 * session's alone; a field holding a `/` (`app`,`r/x` and `app/r`,`x` would read alike, and the
 * second session post into the first's thread) gives formatSessionKey's spelling instead, which
 * has no `/` and so never meets the first form.
 */
export function sessionKey(e: Pick<RelayEvent, 'appId' | 'roomId' | 'confNum'>): string {
  if (e.appId.includes('/') || e.roomId.includes('/') || e.confNum.includes('/')) return `key:${formatSessionKey(e)}`;
  return `${e.appId}/${e.roomId}/${e.confNum}`;
}

/** EnableX's events always belong to a session; a relay event about a destination does not. */
export function hasSession(e: Pick<RelayEvent, 'appId' | 'roomId' | 'confNum'>): boolean {
  return e.appId !== '' || e.roomId !== '' || e.confNum !== '';
}
