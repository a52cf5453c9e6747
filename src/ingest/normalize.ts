import { v7 as uuidv7 } from 'uuid';
import type { FileRef, RelayEvent, TransferDestination } from '../domain/event.js';
import { dedupeKey } from './dedupe-key.js';
import { occurredAt } from './occurred-at.js';

/**
 * A validated body -> the relay's event. Unknown types were checked against the envelope only,
 * so every type-specific field is read defensively: a field that does not have the expected
 * shape is left out, never a crash.
 */
export function normalizeEvent(body: Record<string, unknown>, raw: Buffer, contentType: string | null, receivedAt: Date): RelayEvent {
  const event: RelayEvent = {
    id: uuidv7(),
    type: String(body.type),
    appId: String(body.app_id),
    roomId: String(body.room_id),
    confNum: String(body.conf_num),
    occurredAt: occurredAt(body.trans_date),
    receivedAt: receivedAt.toISOString(),
    files: fileRefs(body),
    body,
    raw,
    contentType,
    dedupeKey: dedupeKey(body),
  };
  const stage = count(body.stage);
  if (stage !== undefined) event.stage = stage;
  const fileSize = count(body.file_size);
  if (fileSize !== undefined) event.fileSize = fileSize;
  const destination = transferDestination(body.destination);
  if (destination) event.destination = destination;
  return event;
}

/** `recording` (a URL or a list of them, whatever the type) then `files[].url`, each normalized. */
function fileRefs(body: Record<string, unknown>): FileRef[] {
  const recording = Array.isArray(body.recording) ? body.recording : [body.recording];
  const files = Array.isArray(body.files) ? body.files.map((f) => (isObject(f) ? f.url : undefined)) : [];
  return [...recording, ...files]
    .map((url) => (typeof url === 'string' ? fileUrl(url) : ''))
    .filter((url) => url !== '')
    .map((url) => ({ url }));
}

/** A file name with a space is still a file: the URL gets `%20`, as a browser would send it. */
function fileUrl(url: string): string {
  return url.trim().replace(/ /g, '%20');
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function transferDestination(value: unknown): TransferDestination | undefined {
  if (!isObject(value) || typeof value.name !== 'string') return undefined;
  // The vendor writes storage names as it likes (`AWSS3`, `awss3`): rules match one spelling.
  const destination: TransferDestination = { name: value.name.trim().toLowerCase() };
  if (typeof value.host === 'string') destination.host = value.host;
  if (typeof value.account === 'string') destination.account = value.account;
  return destination;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
