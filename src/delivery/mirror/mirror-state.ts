import type { Store } from '../../store/store.js';
import type { MirrorCopy } from '../../relay-events/types/recording-mirror.js';

/**
 * A mirror's progress lives in the store's key/value state (no table of its own), under keys
 * of three kinds:
 *   mirror:done:<destination>:<location>         a copy that was made: size, sha256, from where
 *   mirror:file:<destination>:<event>:<index>    how each file of an event stands, for the announcement
 *   mirror:upload:<delivery>                     a multipart upload in progress (s3-store.ts)
 * Each key has one writer at a time: a file's deliveries are serialized by their unit key.
 */
export interface DoneRecord {
  size: number;
  sha256: string;
  source_url: string;
  event_id: string;
  at: string;
}

export const doneKey = (destination: string, location: string): string => `mirror:done:${destination}:${location}`;
export const fileKey = (destination: string, eventId: string, index: number): string => `mirror:file:${destination}:${eventId}:${index}`;

export async function readDone(store: Store, destination: string, location: string): Promise<DoneRecord | null> {
  return parse<DoneRecord>(await store.getState(doneKey(destination, location)), (r) => typeof r.size === 'number' && typeof r.sha256 === 'string');
}

export async function writeDone(store: Store, destination: string, location: string, record: DoneRecord): Promise<void> {
  await store.setState(doneKey(destination, location), JSON.stringify(record));
}

export async function readCopy(store: Store, destination: string, eventId: string, index: number): Promise<MirrorCopy | null> {
  return parse<MirrorCopy>(await store.getState(fileKey(destination, eventId, index)), (r) => typeof r.status === 'string');
}

export async function writeCopy(store: Store, destination: string, eventId: string, index: number, copy: MirrorCopy): Promise<void> {
  await store.setState(fileKey(destination, eventId, index), JSON.stringify(copy));
}

function parse<T extends object>(raw: string | null, ok: (r: Record<string, unknown>) => boolean): T | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && ok(v as Record<string, unknown>) ? (v as T) : null;
  } catch {
    return null;
  }
}
