import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { Store } from './store.js';

/** Purge delivered events older than the retention age, hourly. Dead ones stay until an admin acts. */
export function startRetention(opts: { store: Store; logger: Logger; retentionMs: number; clock: Clock; everyMs?: number }): { stop(): void } {
  const run = async (): Promise<void> => {
    try {
      const before = new Date(opts.clock.now().getTime() - opts.retentionMs);
      const n = await opts.store.purge({ before, delivered: true });
      if (n > 0) opts.logger.info({ purged: n, before: before.toISOString() }, 'retention: purged delivered events');
    } catch (err) {
      opts.logger.warn({ err: String(err) }, 'retention purge failed; will try again');
    }
  };
  const first = setTimeout(run, 10_000).unref();
  const timer = setInterval(run, opts.everyMs ?? 3600_000).unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
