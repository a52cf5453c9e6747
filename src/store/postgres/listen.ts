import type pg from 'pg';
import type { Logger } from '../../logger.js';

export interface ListenOptions {
  /** A client for the dedicated LISTEN connection (a pooled one would be handed to others). */
  newClient: () => pg.Client;
  channel: string;
  /** Only notifications with this payload count (it names the schema). */
  payload: string;
  onWork: () => void;
  logger?: Pick<Logger, 'warn'>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * LISTENs on a dedicated connection and calls onWork for each matching NOTIFY. A lost connection
 * is reopened with exponential backoff, and onWork is called once it listens again, since
 * notifications sent meanwhile are gone. Never throws; returns the function that stops it.
 */
export function listenForWork(opts: ListenOptions): () => void {
  const min = opts.minBackoffMs ?? 100;
  const max = opts.maxBackoffMs ?? 30_000;
  let backoff = min;
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;

  const work = (): void => {
    try {
      opts.onWork();
    } catch (err) {
      opts.logger?.warn({ err: String(err) }, 'work listener callback failed');
    }
  };

  const lost = (c: pg.Client, err?: unknown): void => {
    if (c !== client || stopped) return; // each connection is given up once
    client = null;
    c.end().catch(() => {});
    opts.logger?.warn({ err: err === undefined ? 'connection ended' : String(err), retryInMs: backoff }, 'LISTEN connection lost; reconnecting');
    timer = setTimeout(start, backoff);
    timer.unref();
    backoff = Math.min(max, backoff * 2);
  };

  const start = async (): Promise<void> => {
    if (stopped) return;
    const c = opts.newClient();
    client = c;
    // An 'error' event without a listener would crash the process.
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      if (msg.channel === opts.channel && (msg.payload ?? '') === opts.payload) work();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${opts.channel}`);
    } catch (err) {
      return lost(c, err);
    }
    if (c !== client) return;
    backoff = min;
    work();
  };

  void start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    const c = client;
    client = null;
    c?.end().catch(() => {});
  };
}
