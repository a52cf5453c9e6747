import { STATUS_CODES } from 'node:http';
import { permanent, retry, success, type SendOutcome } from '../domain/outcome.js';
import { retryAfter } from './retry-after.js';

/**
 * The one place that decides what a receiver's answer or a network fault means for a delivery.
 * Every destination kind that speaks HTTP classifies through here, so "is a 425 retryable?" has
 * one answer. test/support/http-status-table.ts is the table each kind's tests run.
 */
export function classifyHttpStatus(status: number, retryAfterHeader: string | null | undefined, now: Date, body = ''): SendOutcome {
  const text = `HTTP ${status}${STATUS_CODES[status] ? ' ' + STATUS_CODES[status] : ''}${body ? ': ' + body : ''}`;
  if (status >= 200 && status < 300) return success(status);
  const wait = retryAfter(retryAfterHeader, now);
  const later = (reason: Parameters<typeof retry>[0]): SendOutcome =>
    retry(reason, text, wait === undefined ? { statusCode: status } : { statusCode: status, retryAfterMs: wait });
  if (status === 429) return later('rate_limited');
  if (status === 408) return later('timeout');
  // 425 Too Early: the receiver will take the same request once it is ready.
  if (status === 425) return later('client');
  if (status >= 500 && status < 600) return later('server');
  if (status === 401 || status === 403 || status === 407) return permanent('auth', text, status);
  // Redirects are not followed (a signed body must not wander to another host): the URL in the
  // rules is wrong and only an admin can fix it.
  if (status >= 300 && status < 400) return permanent('config', `${text} (redirects are not followed: fix the destination url)`, status);
  if (status >= 400 && status < 500) return permanent('client', text, status);
  // 1xx or beyond 599: a broken receiver or proxy, which may well be fixed by the next attempt.
  return later('server');
}

/** Connection-level codes that mean "this try was unlucky", not "the receiver is down". */
export const TRANSIENT_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  // undici: the socket closed before a response (a reset, or a stale keep-alive connection).
  'UND_ERR_SOCKET',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * A fetch that threw: every network fault and timeout is retryable. The only permanent case is a
 * request fetch refuses to build (e.g. an invalid header value): no attempt will ever succeed.
 */
export function classifyNetworkError(err: unknown, opts: { timeoutMs?: number } = {}): SendOutcome {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'TimeoutError') {
    return retry('timeout', `no answer within ${opts.timeoutMs === undefined ? 'the timeout' : opts.timeoutMs + ' ms'}`);
  }
  if (e?.name === 'AbortError') return retry('network', 'aborted by shutdown');
  const code = errorCode(err);
  const detail = describe(err);
  if (code && TIMEOUT_CODES.has(code)) return retry('timeout', detail);
  if (code) return retry('network', detail);
  if (e?.name === 'TypeError' && e.message !== 'fetch failed' && e.message !== 'terminated') {
    return permanent('config', `request cannot be built: ${e.message ?? ''}`);
  }
  return retry('network', detail);
}

/** The innermost system or undici code of a fetch error (`fetch failed` wraps it in `cause`). */
export function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof c.code === 'string') return c.code;
    // Happy eyeballs: a connect to several addresses fails with an AggregateError of them.
    if (Array.isArray(c.errors) && c.errors.length > 0) cur = c.errors[0];
    else cur = c.cause;
  }
  return undefined;
}

function describe(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    const c = cur as { message?: unknown; code?: unknown; cause?: unknown; errors?: unknown[] };
    const msg = typeof c.message === 'string' && c.message ? c.message : typeof c.code === 'string' ? c.code : '';
    if (msg && !parts.includes(msg)) parts.push(msg);
    cur = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined);
  }
  return parts.join(': ') || String(err);
}
