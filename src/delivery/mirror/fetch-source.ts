import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { bulkConnection, type BulkConnection } from './bulk-connection.js';
import { userAgent } from '../../version.js';

export interface SourceRequest {
  url: string;
  auth: { username: string; password: string };
  /** Null: any host. Otherwise the only hosts a file (or a redirect) may be fetched from. */
  hosts: HostMatcher[] | null;
  /** For connecting and for the answer's headers; the body has the caller's stall timer. */
  timeoutMs: number;
  signal: AbortSignal;
}

/** One entry of source_hosts: a host name or a glob of one, matched in linear time (RE2). */
export type HostMatcher = (host: string) => boolean;

/** The answer to GET (redirects followed), its body unread. */
export interface SourceResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** node:http's own, or for a whole file (200 with a Content-Length) one read past it. */
  body: Readable;
  /** The URL that answered (after redirects), without credentials. */
  url: string;
}

/** Refused before any request: the URL itself is the problem. */
export class SourceRefused extends Error {
  constructor(
    readonly code: 'bad_url' | 'source_host' | 'insecure_source' | 'too_many_redirects',
    message: string,
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 5;

/**
 * GET a portal file with the "recording access" Basic credentials, which go only to the origin
 * (scheme, host and port) the event's URL names, and never in clear text except to a loopback
 * address. A redirect to the same origin keeps them; one to another origin is followed without
 * them (a portal may hand out a signed CDN link); one to another scheme than http(s) is refused.
 * Node's own http client, not fetch: its streams carry backpressure straight to the socket.
 */
export async function fetchSource(req: SourceRequest): Promise<SourceResponse> {
  const first = parseUrl(req.url);
  checkHost(first, req.hosts);
  if (first.protocol === 'http:' && !isLoopback(first.hostname)) {
    throw new SourceRefused('insecure_source', `${first.origin} is plain http: the recording-access credentials are only sent over https`);
  }
  const basic = `Basic ${Buffer.from(`${req.auth.username}:${req.auth.password}`, 'utf8').toString('base64')}`;
  let url = first;
  for (let hop = 0; ; hop++) {
    const { res, body } = await get(url, url.origin === first.origin ? basic : null, req);
    const location = res.headers.location;
    if (res.statusCode === undefined || res.statusCode < 300 || res.statusCode >= 400 || res.statusCode === 304 || !location) {
      return { status: res.statusCode ?? 0, headers: res.headers, body, url: url.href };
    }
    body.resume();
    if (hop >= MAX_REDIRECTS) throw new SourceRefused('too_many_redirects', `more than ${MAX_REDIRECTS} redirects from ${first.origin}`);
    url = parseUrl(new URL(location, url).href);
    checkHost(url, req.hosts);
  }
}

function get(url: URL, authorization: string | null, req: SourceRequest): Promise<{ res: IncomingMessage; body: Readable }> {
  return new Promise((resolve, reject) => {
    let conn: BulkConnection | undefined;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': userAgent, accept: '*/*', 'accept-encoding': 'identity', ...(authorization ? { authorization } : {}) },
        signal: req.signal,
        // A connection of its own per file (no agent, no pool), reading in large pieces.
        createConnection: () => {
          conn = bulkConnection(url.protocol === 'https:', { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80), ...(isIP(url.hostname) ? {} : { servername: url.hostname }) });
          return conn.socket;
        },
      },
      (res) => {
        clearTimeout(timer);
        // Errors after the answer are the body's to tell (a cut-off body, a reset).
        request.on('error', () => undefined);
        const length = wholeFileLength(res);
        resolve({ res, body: conn && length !== null ? conn.takeBody(res, length) : res });
      },
    );
    // Until the answer's headers are in; after that the caller's stall timer watches the body.
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer from ${url.host} within ${req.timeoutMs} ms`), { name: 'TimeoutError' })), req.timeoutMs);
    timer.unref();
    request.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.end();
  });
}

/**
 * The length of a body framed by Content-Length alone, which can be read past node:http: a 200,
 * one well-formed Content-Length, no Transfer-Encoding (chunked and the rest stay node:http's).
 */
function wholeFileLength(res: IncomingMessage): number | null {
  if (res.statusCode !== 200 || res.headers['transfer-encoding'] !== undefined) return null;
  const cl = res.headers['content-length'];
  if (typeof cl !== 'string' || !/^\d{1,15}$/.test(cl)) return null;
  return Number(cl);
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SourceRefused('bad_url', `"${raw.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SourceRefused('bad_url', `${url.protocol} URLs cannot be fetched (only https:// and http://)`);
  // Credentials in the event's URL would override the admin's; they are never sent.
  url.username = '';
  url.password = '';
  return url;
}

function checkHost(url: URL, hosts: HostMatcher[] | null): void {
  if (hosts === null) return;
  const host = url.hostname.toLowerCase();
  if (!hosts.some((matches) => matches(host))) throw new SourceRefused('source_host', `${host} is not one of the hosts in source_hosts`);
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}
