import type { RelayEvent } from '../domain/event.js';
import { fileName } from '../delivery/messages/file-name.js';
import { MIRRORED, MIRROR_FAILED } from '../relay-events/types/recording-mirror.js';
import { isRelayType } from '../relay-events/relay-event.js';
import type { SessionFacts, SessionMirrorCopy } from './session-types.js';

/** Relay event types that say something about a session's record; other relay events add only their id. */
const SESSION_RELAY_TYPES = new Set<string>([MIRRORED, MIRROR_FAILED]);

/**
 * What the event tells about its session, read defensively (unknown types were validated against
 * the envelope only): a field of an unexpected shape is left out.
 */
export function sessionFacts(e: RelayEvent): SessionFacts {
  const files = e.files.map((f) => ({ name: fileName(f.url), url: f.url }));
  switch (e.type) {
    case 'roomdrop':
      return { endedAt: e.occurredAt ?? e.receivedAt };
    case 'recording':
      return { recordings: files };
    case 'transcoded':
      return { transcoded: { stage: e.stage ?? null, name: files[0]?.name ?? null, url: files[0]?.url ?? null, sizeBytes: e.fileSize ?? null } };
    case 'file-transfer':
      return { transfer: { destination: e.destination ?? null, files } };
  }
  if (SESSION_RELAY_TYPES.has(e.type)) return { mirror: mirrorFacts(e.body) };
  if (isRelayType(e.type)) return {};
  return { unknown: true };
}

function mirrorFacts(body: Record<string, unknown>): NonNullable<SessionFacts['mirror']> {
  const about = body.about;
  const destination = isObject(about) && typeof about.destination === 'string' ? about.destination : null;
  const copies: SessionMirrorCopy[] = [];
  for (const c of Array.isArray(body.copies) ? body.copies : []) {
    if (!isObject(c) || typeof c.file_name !== 'string') continue;
    const status = c.status === 'mirrored' || c.status === 'failed' ? c.status : 'pending';
    copies.push({
      name: c.file_name,
      status,
      location: typeof c.location === 'string' ? c.location : null,
      sizeBytes: typeof c.size === 'number' && Number.isFinite(c.size) ? c.size : null,
      reason: typeof c.reason === 'string' ? c.reason : null,
    });
  }
  return { destination, target: typeof body.target === 'string' ? body.target : null, copies };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
