import { forgetToken, readToken } from './token.js';
import type { ErrorDetail } from './types.js';

/** An answer that was not 2xx, with the relay's error body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

type Listener = () => void;
const onRefused = new Set<Listener>();

/** Called when the relay refuses the token (401): the app signs out and says so. */
export function whenTokenRefused(listener: Listener): () => void {
  onRefused.add(listener);
  return () => onRefused.delete(listener);
}

// Beside /dashboard/, wherever the relay is mounted (a proxy may add a prefix).
const API_BASE = new URL('../admin/', document.baseURI);

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  /** JSON, sent as application/json. */
  json?: unknown;
  /** Sent as is (an event for the route tester). */
  text?: string;
  /** Use this token rather than the tab's (signing in). */
  token?: string;
}

/**
 * Every request the page makes: the token goes in the Authorization header only. Query values
 * come from the page's own filters and are encoded here, never concatenated by callers.
 */
export async function api<T>(method: 'GET' | 'POST', path: string, opts: RequestOptions = {}): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), API_BASE);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  const token = opts.token ?? readToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.text !== undefined) {
    headers['content-type'] = 'application/json';
    body = opts.text;
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ApiError(0, 'unreachable', 'The relay cannot be reached. Is it running?');
  }
  const data: unknown = await res.json().catch(() => undefined);
  if (res.ok) return data as T;
  const error = (data as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
  const failure = new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${res.status}`, error?.details ?? []);
  if (res.status === 401 && opts.token === undefined) {
    forgetToken();
    for (const l of onRefused) l();
  }
  throw failure;
}
