import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import type { RelayEvent } from '../../domain/event.js';
import type { FailureReason } from '../../domain/outcome.js';
import type { Store } from '../../store/store.js';
import { classifyNetworkError } from '../outcome.js';
import { fetchSource, SourceRefused, type SourceResponse } from './fetch-source.js';
import type { MirrorOptions } from './mirror-options.js';
import { readDone, writeDone } from './mirror-state.js';
import { TargetError, type MirrorStore } from './mirror-store.js';
import { portalVerdict } from './portal-status.js';
import { readBuffers } from './read-buffers.js';
import { transfer, TransferError } from './transfer.js';

/** One file of one event, to copy to one place. */
export interface FileJob {
  deliveryId: string;
  destination: string;
  event: RelayEvent;
  index: number;
  url: string;
  location: string;
  fileName: string;
  /** The event's `file_size` (a `transcoded` event names one file and its size). */
  expectedSize?: number;
  /** When the portal link stops working (ms), if known. */
  expiresAt: number | null;
}

export type FileResult =
  | { kind: 'mirrored'; size: number; sha256: string; skipped: boolean }
  | { kind: 'failed'; retryable: boolean; code: string; reason: FailureReason; error: string; statusCode?: number; retryAfterMs?: number };

export interface FileEnv {
  options: MirrorOptions;
  target: MirrorStore;
  state: Store;
  clock: Clock;
  signal: AbortSignal;
}

const failed = (retryable: boolean, code: string, reason: FailureReason, error: string, extra: { statusCode?: number; retryAfterMs?: number } = {}): FileResult => ({ kind: 'failed', retryable, code, reason, error, ...extra });

/**
 * Copies one file, or says why not. A copy already there with the file's size is not made again
 * (its recorded SHA-256 is reused): replays and duplicates cost one look, and at most the start
 * of one answer from the portal. Never throws for a portal's, a network's or a target's failure.
 */
export async function mirrorFile(job: FileJob, env: FileEnv): Promise<FileResult> {
  const { options, target, state } = env;
  const now = env.clock.now();
  if (job.expiresAt !== null && now.getTime() >= job.expiresAt) {
    return failed(false, 'expired', 'expired', `the portal link expired at ${new Date(job.expiresAt).toISOString()}`);
  }
  const where = describeUrl(job.url);
  try {
    const existing = await target.stat(job.location);
    if (existing && job.expectedSize !== undefined && existing.size === job.expectedSize) return await skipped(job, env, existing.size);
    let res: SourceResponse;
    try {
      res = await fetchSource({ url: job.url, auth: options.sourceAuth, hosts: options.sourceHosts, timeoutMs: options.stallTimeoutMs, signal: env.signal });
    } catch (err) {
      if (err instanceof SourceRefused) return failed(false, err.code, 'config', err.message);
      const o = classifyNetworkError(err, { timeoutMs: options.stallTimeoutMs });
      return failed(true, 'network', o.kind === 'success' || o.kind === 'deferred' ? 'network' : o.reason, `fetching ${where}: ${o.kind === 'success' ? '' : o.error}`);
    }
    try {
      if (res.status !== 200) {
        const v = portalVerdict(res.status, str(res.headers['retry-after']), env.clock.now(), where);
        return failed(v.retryable, v.code, v.reason, v.error, { statusCode: res.status, ...(v.retryAfterMs !== undefined ? { retryAfterMs: v.retryAfterMs } : {}) });
      }
      const contentLength = length(res.headers['content-length']);
      if (contentLength !== undefined && job.expectedSize !== undefined && contentLength !== job.expectedSize) {
        return failed(true, 'size_mismatch', 'server', `the portal announces ${contentLength} bytes for ${where}, the event said file_size ${job.expectedSize}`);
      }
      if (existing && contentLength !== undefined && existing.size === contentLength) {
        // The body is not wanted: the connection goes now, not after the look at the copy.
        res.body.destroy();
        return await skipped(job, env, existing.size);
      }
      const expected = contentLength !== undefined ? { size: contentLength, from: 'Content-Length' } : job.expectedSize !== undefined ? { size: job.expectedSize, from: 'file_size' } : undefined;
      const copied = await transfer(res.body, (body) => target.write(job.location, body, { deliveryId: job.deliveryId, contentType: str(res.headers['content-type']) ?? null, written: (chunk) => readBuffers.give(chunk) }), {
        ...(expected ? { expected } : {}),
        stallMs: options.stallTimeoutMs,
        maxMs: options.maxTransferMs,
        signal: env.signal,
      });
      await writeDone(state, job.destination, job.location, { size: copied.size, sha256: copied.sha256, source_url: job.url, event_id: job.event.id, at: env.clock.now().toISOString() });
      return { kind: 'mirrored', size: copied.size, sha256: copied.sha256, skipped: false };
    } finally {
      res.body.destroy();
    }
  } catch (err) {
    if (err instanceof TransferError) return failed(true, err.code, err.code === 'stalled' || err.code === 'too_slow' ? 'timeout' : err.code === 'truncated' ? 'network' : 'server', `${where}: ${err.message}`);
    if (err instanceof TargetError) return failed(err.code === 'target', err.code, err.code === 'target_auth' ? 'auth' : err.code === 'target_config' ? 'config' : 'server', `writing ${job.location}: ${err.message}`);
    if ((err as Error).name === 'AbortError') return failed(true, 'aborted', 'network', 'aborted');
    // The relay's own state (the store) failed: worth another try.
    return failed(true, 'error', 'server', `${where}: ${(err as Error).message ?? String(err)}`);
  }
}

/** The copy is there already: its checksum from the record, or (made before it was recorded) read back. */
async function skipped(job: FileJob, env: FileEnv, size: number): Promise<FileResult> {
  const done = await readDone(env.state, job.destination, job.location);
  let sha256 = done && done.size === size ? done.sha256 : null;
  if (sha256 === null) {
    const hash = createHash('sha256');
    for await (const chunk of await env.target.read(job.location)) hash.update(chunk as Buffer);
    sha256 = hash.digest('hex');
    await writeDone(env.state, job.destination, job.location, { size, sha256, source_url: job.url, event_id: job.event.id, at: env.clock.now().toISOString() });
  }
  return { kind: 'mirrored', size, sha256, skipped: true };
}

/** `portal.enablex.io/…/rec-1.mkv`: enough to recognise the file, no query string (it may hold a token). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const name = u.pathname.split('/').filter(Boolean).pop() ?? '';
    return `${u.host}/…/${name}`;
  } catch {
    return 'the file URL';
  }
}

function str(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function length(v: string | string[] | undefined): number | undefined {
  const s = str(v);
  return s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : undefined;
}
