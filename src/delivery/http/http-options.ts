import { parseDuration } from '../../config/env.js';
import { compileTemplate, defineFlavor, type CompiledTemplate } from '../../templates/engine.js';
import { signingKeyProblem } from './signing.js';

/**
 * The options of an `http:` destination, as admins write them:
 *
 *   url: https://archive.internal/hooks/enablex   required, http or https, no credentials in it
 *   method: POST                                   POST (default), PUT or PATCH
 *   headers: { Authorization: "Bearer ${TOKEN}" }  string values; the relay's own are reserved
 *   timeout: 10s                                   duration ("500ms", "10s") or ms; 10s default, 30s at most
 *   body: original                                 default: EnableX's bytes unchanged, as application/json;
 *                                                  any other string is a LiquidJS template producing JSON
 *   signing_secret: whsec_...                      Standard Webhooks signature (see signing.ts)
 */
export interface HttpOptions {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  timeoutMs: number;
  body: { kind: 'original' } | { kind: 'template'; template: CompiledTemplate };
  signingSecret: string | null;
}

export interface OptionProblem {
  option: (string | number)[];
  message: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * A slow receiver holds one worker slot for at most this long per try (the worker renews the
 * claim's lease meanwhile, so a long send is never taken over by another worker).
 */
export const MAX_TIMEOUT_MS = 30_000;
const METHODS = ['POST', 'PUT', 'PATCH'] as const;

/** Headers the relay sets itself: an admin's value would break signing, dedupe or framing. */
export const RESERVED_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'idempotency-key',
  'user-agent',
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
]);

/** Body templates: JSON whose structure no event value can change (templates/json-slots.ts). */
export const JSON_BODY = defineFlavor('JSON body', { json: true });

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Options -> typed options, or every problem found (each with the option it concerns). */
export function parseHttpOptions(o: Record<string, unknown>): { options: HttpOptions | null; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const bad = (option: (string | number)[], message: string): void => void problems.push({ option, message });

  const url = typeof o.url === 'string' ? o.url.trim() : '';
  if (!url) bad(['url'], 'url is required');
  else {
    let u: URL | null = null;
    try {
      u = new URL(url);
    } catch {
      bad(['url'], `"${url}" is not a valid URL`);
    }
    if (u && u.protocol !== 'http:' && u.protocol !== 'https:') bad(['url'], 'url must start with http:// or https://');
    // fetch refuses such URLs; credentials belong in a header, where they are masked.
    if (u && (u.username || u.password)) bad(['url'], 'url must not contain credentials: use headers (Authorization) instead');
  }

  const method = o.method === undefined ? 'POST' : String(o.method).toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) bad(['method'], `method must be one of ${METHODS.join(', ')}`);

  const headers: Record<string, string> = {};
  if (o.headers !== undefined && (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers))) {
    bad(['headers'], 'headers must be a map of name: value');
  } else {
    for (const [name, value] of Object.entries((o.headers ?? {}) as Record<string, unknown>)) {
      if (!TOKEN.test(name)) bad(['headers', name], `"${name}" is not a valid header name`);
      else if (RESERVED_HEADERS.has(name.toLowerCase())) bad(['headers', name], `${name} is set by the relay and cannot be configured`);
      else if (typeof value !== 'string' && typeof value !== 'number') bad(['headers', name], `header ${name} must be a string`);
      else if (/[\r\n\0]/.test(String(value))) bad(['headers', name], `header ${name} contains a line break or NUL`);
      else headers[name] = String(value);
    }
  }

  let timeoutMs: number | null = DEFAULT_TIMEOUT_MS;
  if (typeof o.timeout === 'number') timeoutMs = Number.isFinite(o.timeout) ? o.timeout : null;
  else if (typeof o.timeout === 'string') timeoutMs = parseDuration(o.timeout);
  else if (o.timeout !== undefined) timeoutMs = null;
  if (timeoutMs === null || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    bad(['timeout'], `timeout must be a duration from 1ms to ${MAX_TIMEOUT_MS / 1000}s, such as 500ms or 10s`);
  }

  let body: HttpOptions['body'] | null = { kind: 'original' };
  if (o.body !== undefined && o.body !== 'original') {
    body = null;
    if (typeof o.body !== 'string' || o.body.trim() === '') bad(['body'], 'body must be "original" or a template that produces JSON');
    else {
      try {
        body = { kind: 'template', template: compileTemplate(o.body, JSON_BODY) };
      } catch (err) {
        bad(['body'], (err as Error).message);
      }
    }
  }

  let signingSecret: string | null = null;
  if (o.signing_secret !== undefined && o.signing_secret !== null) {
    const problem = typeof o.signing_secret === 'string' ? signingKeyProblem(o.signing_secret) : 'signing_secret must be a string';
    if (problem) bad(['signing_secret'], problem);
    else signingSecret = o.signing_secret as string;
  }

  if (problems.length > 0 || timeoutMs === null || body === null) return { options: null, problems };
  return { options: { url, method: method as HttpOptions['method'], headers, timeoutMs, body, signingSecret }, problems };
}
