import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { Store } from './store.js';

export interface Retention {
  stop(): void;
  /** One pass now (the timers call the same); resolves when it is done. A pass in flight is shared, not doubled. */
  runOnce(): Promise<void>;
}

/**
 * Hourly, forget what is older than the retention age: delivered events, and the thread state
 * (Slack threads, email roots) and the records of sessions idle that long. Dead events stay until an admin acts.
 * Each purge is tried on its own, so one failing does not keep the other from running.
 */
export function startRetention(opts: { store: Store; logger: Logger; retentionMs: number; clock: Clock; everyMs?: number }): Retention {
  const { store, logger } = opts;
  const attempt = async (what: string, purge: () => Promise<number>, before: Date): Promise<void> => {
    try {
      const n = await purge();
      if (n > 0) logger.info({ purged: n, before: before.toISOString() }, `retention: purged ${what}`);
    } catch (err) {
      logger.warn({ err: String(err) }, `retention: purging ${what} failed; will try again`);
    }
  };
  const pass = async (): Promise<void> => {
    const before = new Date(opts.clock.now().getTime() - opts.retentionMs);
    await attempt('delivered events', () => store.purge({ before, delivered: true }), before);
    await attempt('idle thread state', () => store.purgeState(before), before);
    await attempt('idle session records', () => store.purgeSessions(before), before);
  };

  let running: Promise<void> | null = null;
  const runOnce = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = (): void => void runOnce().catch((err: unknown) => logger.warn({ err: String(err) }, 'retention pass failed; will try again'));
  const first = setTimeout(tick, 10_000).unref();
  const timer = setInterval(tick, opts.everyMs ?? 3600_000).unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
    runOnce,
  };
}
