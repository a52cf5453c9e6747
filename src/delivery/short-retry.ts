import pRetry from 'p-retry';
import { TRANSIENT_CONNECTION_CODES, errorCode } from './outcome.js';

export interface ShortRetryOptions {
  /** Aborts the wait between tries (shutdown). */
  signal?: AbortSignal;
  /** Retries after the first try. */
  retries?: number;
  /** First pause; the second is three times longer. */
  minTimeoutMs?: number;
}

/** Defaults: 2 retries, 150 ms then 450 ms apart: done well inside a second or so. */
export const SHORT_RETRY = { retries: 2, minTimeoutMs: 150 } as const;

/**
 * Retries one attempt's request inside that attempt, only for a connection fault that a second
 * try usually cures (a reset or a stale keep-alive socket before any response, a DNS hiccup).
 * Everything else goes back to the caller at once, to be classified and left to the store's
 * schedule: an HTTP answer (the receiver has spoken), a timeout (we already waited long), a
 * refused connection (the receiver is down: hammering it is the schedule's job, not ours).
 * The whole thing counts as one attempt, so the two layers do not multiply.
 */
export async function shortRetry<T>(fn: (tryNumber: number) => Promise<T>, opts: ShortRetryOptions = {}): Promise<T> {
  const retries = opts.retries ?? SHORT_RETRY.retries;
  // The first try runs bare: nearly every send succeeds or fails for good at once, and p-retry's
  // bookkeeping is only worth its cost once a try has failed for a reason a second one may cure.
  try {
    return await fn(1);
  } catch (err) {
    const e = asError(err);
    if (opts.signal?.aborted) throw abortError(opts.signal);
    if (retries <= 0 || !isTransientConnectionError(e)) throw e;
  }
  return pRetry((n) => fn(n + 1).catch((err: unknown) => Promise.reject(asError(err))), {
    retries: retries - 1,
    minTimeout: opts.minTimeoutMs ?? SHORT_RETRY.minTimeoutMs,
    factor: 3,
    randomize: false,
    signal: opts.signal,
    unref: true,
    shouldRetry: ({ error }) => isTransientConnectionError(error),
  });
}

/** What p-retry rejects with when the shutdown signal aborts its wait. */
function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted by shutdown'), { name: 'AbortError' });
}

/**
 * p-retry turns a rejection that is not an Error into its own TypeError, which would read as
 * "the request cannot be built" (permanent). Some transports reject with a bare `{ code }`.
 */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  const e = (err ?? {}) as { message?: unknown; code?: unknown };
  return Object.assign(new Error(typeof e.message === 'string' ? e.message : String(err)), typeof e.code === 'string' ? { code: e.code } : {});
}

export function isTransientConnectionError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return false;
  const code = errorCode(err);
  return code !== undefined && TRANSIENT_CONNECTION_CODES.has(code);
}
