import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Answer after this long (a slow receiver). */
  delayMs?: number;
}

/** `hang`: never answer (until close); `reset`: destroy the socket before any response. */
export type ScriptStep = ScriptedResponse | 'hang' | 'reset';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: Date;
}

export interface ScriptedReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** Every request, in arrival order, including those answered with hang or reset. */
  requests: ReceivedRequest[];
  /** Queue answers for the next requests, in order; after them the default answers. */
  script(steps: ScriptStep[]): void;
  setDefault(step: ScriptStep): void;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on loopback that answers by script, so delivery tests exercise the real
 * network path (sockets, resets, timeouts) rather than an intercepted fetch.
 */
export async function startScriptedReceiver(opts: { port?: number } = {}): Promise<ScriptedReceiver> {
  const queue: ScriptStep[] = [];
  let fallback: ScriptStep = { status: 200 };
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: new Date() });
      const step = queue.length > 0 ? queue.shift()! : fallback;
      if (step === 'hang') return;
      if (step === 'reset') {
        req.socket.destroy();
        return;
      }
      answer(res, step);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    script: (steps) => void queue.push(...steps),
    setDefault: (step) => void (fallback = step),
    close: async () => {
      // Hanging requests keep their sockets open; destroy them or close() never resolves.
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, r: ScriptedResponse): void {
  const send = (): void => {
    if (res.destroyed) return;
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  };
  if (r.delayMs) setTimeout(send, r.delayMs);
  else send();
}
