import type { RelayEvent } from '../../domain/event.js';
import type { Logger } from '../../logger.js';
import type { RelayEventSink } from '../../relay-events/relay-event.js';
import { mirrorAnnouncement, type MirrorCopy } from '../../relay-events/types/recording-mirror.js';
import type { Store } from '../../store/store.js';
import type { FilePlan } from './mirror-key.js';
import { readCopy, writeCopy } from './mirror-state.js';
import type { MirrorStore } from './mirror-store.js';

export interface AnnounceInput {
  destination: string;
  /** `s3://bucket/prefix/` or `file:///dir`. */
  target: string;
  event: RelayEvent;
  plans: FilePlan[];
  index: number;
  copy: MirrorCopy;
  expiresAt: string | null;
  presignMs: number | null;
}

/**
 * Records how this file stands, then, if the event's files now call for it, publishes the
 * announcement. Each file's delivery writes its own record before it reads the others', so of
 * two files ending at the same moment (two workers, two replicas) at least the later one sees
 * both; if both do, the relay event's `once` keeps it to one. Throws if the store fails: the
 * caller retries, and a repeat changes nothing.
 */
export async function recordAndAnnounce(input: AnnounceInput, deps: { store: Store; relayEvents?: RelayEventSink; target: MirrorStore; logger: Logger; now: Date }): Promise<void> {
  const { destination, event, index } = input;
  await writeCopy(deps.store, destination, event.id, index, input.copy);
  if (input.copy.status === 'pending' || !deps.relayEvents) return;
  const copies = await Promise.all(
    input.plans.map(async (p) => (p.index === index ? input.copy : ((await readCopy(deps.store, destination, event.id, p.index)) ?? pendingCopy(p)))),
  );
  const draft = mirrorAnnouncement({ source: event, destination, target: input.target, copies: await withLinks(copies, input, deps), expiresAt: input.expiresAt });
  if (draft) await deps.relayEvents.publish(draft);
}

export function pendingCopy(p: FilePlan): MirrorCopy {
  return { file_name: p.fileName, source_url: p.url, status: 'pending', location: p.location, size: null, sha256: null };
}

/** Presigned links are made when announced: each lives `presign` from the moment it is told. */
async function withLinks(copies: MirrorCopy[], input: AnnounceInput, deps: { target: MirrorStore; logger: Logger; now: Date }): Promise<MirrorCopy[]> {
  const { presignMs } = input;
  const presign = deps.target.presign?.bind(deps.target);
  if (presignMs === null || !presign) return copies;
  const until = new Date(deps.now.getTime() + presignMs).toISOString();
  return Promise.all(
    copies.map(async (c) => {
      if (c.status !== 'mirrored' || !c.location) return c;
      try {
        return { ...c, link: await presign(c.location, presignMs), link_expires_at: until };
      } catch (err) {
        deps.logger.warn({ location: c.location, err: (err as Error).message }, 'mirror: could not presign a link; announced without it');
        return c;
      }
    }),
  );
}
