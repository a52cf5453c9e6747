import http, { type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readSnippet } from './read-snippet.js';

/** What came back: the status, Retry-After, and the start of an error answer's body. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  /** Empty for a 2xx (its body is not read). */
  snippet: string;
}

export interface HttpRequestOptions {
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Bounds the whole exchange, reading an error answer included. */
  timeoutMs: number;
  /** Shutdown: the request is torn down at once. */
  signal: AbortSignal;
}

/** One keep-alive connection pool per destination: receivers see a few long-lived connections. */
export function keepAliveAgent(url: URL): HttpAgent {
  const opts = { keepAlive: true, scheduling: 'lifo' as const };
  return url.protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts);
}

/**
 * One HTTP exchange with node:http (a fraction of the CPU fetch costs per request). Redirects are
 * not followed: a 3xx is an answer like any other, so a signed body never goes to a host nobody
 * configured. Rejects with the transport's error (its `code`), a TimeoutError or an AbortError.
 */
export function sendRequest(url: URL, agent: HttpAgent, o: HttpRequestOptions): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    if (o.signal.aborted) return reject(named('AbortError', 'aborted by shutdown'));
    // Looked up at each call (not imported by name): interceptors such as nock replace it.
    const send = url.protocol === 'https:' ? https.request : http.request;
    const headers = { ...o.headers, 'content-length': String(o.body.length) };
    const req = send(url, { method: o.method, headers, agent });
    let settled = false;
    const finish = (err: Error | null, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer!);
    };
    const onAbort = (): void => finish(named('AbortError', 'aborted by shutdown'));
    const timer = setTimeout(() => finish(named('TimeoutError', `no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    o.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const retryAfter = header(res, 'retry-after');
      if (status >= 200 && status < 300) {
        // The body is not needed, but reading it to its end lets the connection be reused.
        res.resume();
        res.on('end', () => finish(null, { status, retryAfter, snippet: '' }));
        res.on('error', () => finish(null, { status, retryAfter, snippet: '' }));
        return;
      }
      readSnippet(res).then((snippet) => finish(null, { status, retryAfter, snippet }));
    });
    req.end(o.body);
  });
}

function header(res: IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}
