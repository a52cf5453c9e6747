import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP receiver on 127.0.0.1 that answers 200 (at once, or after `delayMs`) and counts what it
 * got: each body is turned into keys by `keysOf` (an event's conf_num; each alert of an
 * Alertmanager notification), so repeats and losses can be told apart from the count.
 */
export interface Receiver {
  url: string;
  /** Distinct keys received. */
  readonly distinct: number;
  /** Keys received again (a delivery sent twice). */
  readonly repeats: number;
  /** Requests whose body gave no key. */
  readonly unreadable: number;
  /** performance.now() of the first arrival of each key. */
  arrivals: Map<string, number>;
  /** Resolves when `n` distinct keys have arrived (true) or after `timeoutMs` (false). */
  waitForDistinct(n: number, timeoutMs: number): Promise<boolean>;
  /** Resolves with the arrival time of `key`, or null after `timeoutMs`. */
  waitForKey(key: string, timeoutMs: number): Promise<number | null>;
  reset(): void;
  close(): Promise<void>;
}

export async function startReceiver(keysOf: (body: string) => string[], opts: { delayMs?: number } = {}): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  let repeats = 0;
  let unreadable = 0;
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      let keys: string[] = [];
      try {
        keys = keysOf(Buffer.concat(chunks).toString('utf8'));
      } catch {
        keys = [];
      }
      if (keys.length === 0) unreadable++;
      for (const k of keys) {
        if (arrivals.has(k)) repeats++;
        else arrivals.set(k, at);
      }
      for (const w of waiters) w();
      const answer = (): void => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      if (opts.delayMs) setTimeout(answer, opts.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const wait = <T>(ready: () => T | null, timeoutMs: number, onTimeout: T): Promise<T> =>
    new Promise((resolve) => {
      const now = ready();
      if (now !== null) return resolve(now);
      const check = (): void => {
        const v = ready();
        if (v === null) return;
        finish(v);
      };
      const finish = (v: T): void => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => finish(onTimeout), timeoutMs);
      waiters.add(check);
    });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get distinct() {
      return arrivals.size;
    },
    get repeats() {
      return repeats;
    },
    get unreadable() {
      return unreadable;
    },
    arrivals,
    waitForDistinct: (n, timeoutMs) => wait(() => (arrivals.size >= n ? true : null), timeoutMs, false),
    waitForKey: (key, timeoutMs) => wait(() => arrivals.get(key) ?? null, timeoutMs, null),
    reset() {
      arrivals.clear();
      repeats = 0;
      unreadable = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The key of an EnableX body the relay forwards as it came (`body: original`): its conf_num. */
export const eventKeys = (body: string): string[] => {
  const conf = (JSON.parse(body) as { conf_num?: unknown }).conf_num;
  return conf === undefined ? [] : [String(conf)];
};

/** The keys of an Alertmanager webhook notification: the `id` label of each alert in it. */
export const alertKeys = (body: string): string[] =>
  ((JSON.parse(body) as { alerts?: { labels?: { id?: string } }[] }).alerts ?? []).map((a) => a.labels?.id ?? '').filter(Boolean);
