import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the portal serves one path. Files are generated on the fly (generated(), below), never stored. */
export interface PortalFile {
  size: number;
  /** Answer this status (403, 404, 500, ...) to the first `times` requests, then serve the file. */
  status?: number;
  times?: number;
  /** The first `faultyTimes` transfers (default every one) misbehave as below; later ones are whole. */
  faultyTimes?: number;
  /** Send this many bytes, then nothing more, the connection left open. */
  stallAfter?: number;
  /** Send this many bytes, then close the connection. */
  cutAfter?: number;
  /** Announce this Content-Length, send the `size` bytes, then close. */
  announce?: number;
  /** No Content-Length: chunked. */
  chunked?: boolean;
  /** At most this many bytes per second. */
  rate?: number;
  /** Answer 302 to this URL instead (before the file). */
  redirectTo?: string;
}

export interface PortalRequest {
  path: string;
  authorization: string | null;
  host: string;
}

const CHUNK = 64 * 1024;
const PATTERN = patternBytes(16 * CHUNK);

/**
 * The EnableX portal's part, on 127.0.0.1: recording files behind HTTP Basic auth (403 for a
 * wrong or missing login, as the portal does), of any size, generated as they are sent, with
 * faults on demand: a stall, a cut, fewer bytes than announced, an error status, a redirect.
 */
export class FakePortal {
  readonly requests: PortalRequest[] = [];
  private readonly files = new Map<string, PortalFile & { served: number; transfers: number }>();
  private readonly sent = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly basic: string | null,
  ) {}

  static async start(opts: { username?: string; password?: string; host?: string } = {}): Promise<FakePortal> {
    let portal!: FakePortal;
    const server = createServer((req, res) => void portal.handle(req, res));
    server.on('connection', (s) => {
      portal.sockets.add(s);
      s.once('close', () => portal.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const basic = opts.username === undefined ? null : `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    portal = new FakePortal(server, `http://${opts.host ?? '127.0.0.1'}:${port}`, basic);
    return portal;
  }

  file(path: string, f: PortalFile): string {
    this.files.set(path, { ...f, served: 0, transfers: 0 });
    return this.url(path);
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Bytes of the file's body sent so far, over every request for it. */
  bytesSent(path: string): number {
    return this.sent.get(path) ?? 0;
  }

  /** Resolves once `pred` holds (checked as bytes go out), or rejects after timeoutMs. */
  async waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error('the portal did not get there in time');
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const authorization = req.headers.authorization ?? null;
    this.requests.push({ path, authorization, host: String(req.headers.host ?? '') });
    const f = this.files.get(path);
    if (this.basic !== null && authorization !== this.basic) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
    if (!f) return void res.writeHead(404).end('no such file');
    if (f.redirectTo) return void res.writeHead(302, { location: f.redirectTo }).end();
    if (f.status !== undefined && f.served < (f.times ?? Infinity)) {
      f.served++;
      return void res.writeHead(f.status, { 'content-type': 'text/plain' }).end(`status ${f.status}`);
    }
    const faulty = f.transfers++ < (f.faultyTimes ?? Infinity);
    const headers: Record<string, string | number> = { 'content-type': 'video/x-matroska' };
    if (!f.chunked) headers['content-length'] = faulty && f.announce !== undefined ? f.announce : f.size;
    res.writeHead(200, headers);
    const stopAt = faulty ? Math.min(f.size, f.stallAfter ?? Infinity, f.cutAfter ?? Infinity) : f.size;
    let offset = 0;
    const started = Date.now();
    for (const chunk of generated(stopAt)) {
      if (req.destroyed || res.destroyed) return;
      if (f.rate) {
        const due = started + (offset / f.rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const ok = res.write(chunk);
      offset += chunk.length;
      this.sent.set(path, (this.sent.get(path) ?? 0) + chunk.length);
      for (const w of this.waiters.splice(0)) w();
      if (!ok) await drained(res);
    }
    if (faulty && f.stallAfter !== undefined && f.stallAfter < f.size) return; // left open: the client must give up
    if (faulty && (f.cutAfter !== undefined || f.announce !== undefined)) return void res.socket?.destroy();
    res.end();
  }
}

/**
 * The bytes of a generated file of `size`, in 64 KiB chunks: the same every time, and no two
 * chunks alike (each starts with its own number), so a part written twice or out of place shows.
 */
export function* generated(size: number): Generator<Buffer> {
  for (let offset = 0, n = 0; offset < size; offset += CHUNK, n++) {
    const start = offset % PATTERN.length;
    const chunk = Buffer.from(PATTERN.subarray(start, start + Math.min(CHUNK, size - offset)));
    if (chunk.length >= 8) chunk.writeBigUInt64BE(BigInt(n), 0);
    yield chunk;
  }
}

export function sha256Of(size: number): string {
  const h = createHash('sha256');
  for (const c of generated(size)) h.update(c);
  return h.digest('hex');
}

/** 1 MiB of pseudo-random bytes (a fixed seed): generated files do not compress. */
function patternBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
