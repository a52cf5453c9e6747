import { Alarm } from '../domain/alarm.js';
import { setMaxListeners } from 'node:events';
import type { Clock } from '../domain/clock.js';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { DestinationSet } from './destination-set.js';
import { executeDelivery, type Settled } from './execute-delivery.js';

export interface WorkerOptions {
  store: Store;
  /** The destinations of the rules in force (swapped on reload). */
  destinations: () => DestinationSet;
  clock: Clock;
  logger: Logger;
  /** Global cap on deliveries in flight. */
  concurrency: number;
  leaseMs: number;
  /** Longest one send may take before it is cut off and retried (default MAX_SEND_MS). */
  maxSendMs?: number;
  /** Longest sleep between polls when nothing is due (another process may add work). */
  idleMs?: number;
  /** Each finished attempt (metrics). */
  onSettled?: (d: ClaimedDelivery, settled: Settled) => void;
}

/** A destination that left the rules still gets its deliveries claimed, one at a time, to end them. */
const CAP_OF_UNKNOWN = 1;

/**
 * Claims due deliveries and sends them, within a global cap and a cap per destination, so one slow
 * receiver holds at most its own slots. It claims ahead: up to twice a destination's cap is
 * claimed, and what waits for a slot is sent the moment one frees, so a send never waits for a
 * claim's commit and a backlog drains at the receiver's pace, not the disk's. Ingest calls wake()
 * (before or after its commit); otherwise the worker sleeps until the next due attempt (or idleMs,
 * for work another process added).
 */
export class Worker {
  /** Keyed by delivery and attempt: a claim taken over after its lease is a separate send. */
  private readonly inflight = new Map<string, Promise<void>>();
  /** Results and hand-backs on their way to the store (the send's slot is already free). */
  private readonly recording = new Set<Promise<void>>();
  private readonly perDestination = new Map<string, number>();
  /** Claimed, waiting for a slot of their destination, in claim order. */
  private readonly ready = new Map<string, { d: ClaimedDelivery; claimedAt: number }[]>();
  private buffered = 0;
  private readonly abort = new AbortController();
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly alarm = new Alarm();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: WorkerOptions) {
    // Each send in flight listens on the shutdown signal (and stops when it ends): as many
    // listeners as the global cap, which is no leak, so Node's warning past 10 is turned off.
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Work committed by another replica wakes this worker too (PostgreSQL LISTEN/NOTIFY).
    this.unsubscribe = this.opts.store.subscribe?.(() => this.wake()) ?? null;
    this.loop = this.run();
  }

  wake(): void {
    this.alarm.wake();
  }

  /** Stop claiming; hand back what waits for a slot; let sends in flight finish within graceMs, then abort them. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake();
    await this.loop;
    for (const queue of this.ready.values()) for (const { d } of queue.splice(0)) this.handBack(d);
    this.buffered = 0;
    const all = Promise.allSettled(this.inflight.values());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    if ((await Promise.race([all, late])) === 'late') {
      this.opts.logger.warn({ inflight: this.inflight.size }, 'shutdown grace ended: aborting deliveries in flight (they will be retried)');
      this.abort.abort();
      await all;
    }
    clearTimeout(timer);
    await Promise.allSettled(this.recording);
  }

  get inFlight(): number {
    return this.inflight.size;
  }

  private async run(): Promise<void> {
    const { store, logger } = this.opts;
    while (this.running) {
      this.alarm.clear();
      // One moment for the claim and for "what falls due after it": with two readings of the
      // clock, a delivery due between them would be neither claimed nor waited for.
      const now = this.opts.clock.now();
      const { limit, skipDestinations, destinationSlots, otherSlots } = this.wanted();
      let claimed: ClaimedDelivery[] = [];
      if (limit > 0) {
        try {
          claimed = await store.claim({ now, limit, leaseMs: this.opts.leaseMs, skipDestinations, destinationSlots, otherSlots });
        } catch (err) {
          logger.error({ err: String(err) }, 'claiming deliveries failed; retrying shortly');
        }
        const at = this.opts.clock.now().getTime();
        for (const d of claimed) this.queue(d.destination).push({ d, claimedAt: at });
        this.buffered += claimed.length;
        this.pump();
      }
      if (claimed.length > 0 && claimed.length === limit) continue;
      await this.alarm.sleep(await this.sleepMs(now), () => !this.running);
    }
  }

  /**
   * How many to claim: per destination up to twice its cap, less what it has in flight and waiting.
   * A destination that left the rules has the cap CAP_OF_UNKNOWN, in the claim as in the sends: its
   * backlog must not fill the claims while it is ended one delivery at a time.
   */
  private wanted(): { limit: number; skipDestinations: string[]; destinationSlots: Record<string, number>; otherSlots: number } {
    const destinationSlots: Record<string, number> = {};
    const caps = this.opts.destinations().caps;
    for (const [name, cap] of caps) destinationSlots[name] = Math.max(0, 2 * cap - this.held(name));
    for (const name of [...this.ready.keys(), ...this.perDestination.keys()]) {
      if (!caps.has(name)) destinationSlots[name] = Math.max(0, 2 * CAP_OF_UNKNOWN - this.held(name));
    }
    // Twice the global cap in all, but a destination holding nothing may claim even when what the
    // others hold uses that up: else the slots they free would find nothing of it to send.
    const idle = [...caps.keys()].filter((name) => this.held(name) === 0).length;
    const limit = Math.max(idle, 2 * this.opts.concurrency - this.inflight.size - this.buffered);
    return { limit, skipDestinations: Object.keys(destinationSlots).filter((n) => destinationSlots[n] === 0), destinationSlots, otherSlots: 2 * CAP_OF_UNKNOWN };
  }

  private held(name: string): number {
    return (this.perDestination.get(name) ?? 0) + (this.ready.get(name)?.length ?? 0);
  }

  private queue(name: string): { d: ClaimedDelivery; claimedAt: number }[] {
    let q = this.ready.get(name);
    if (!q) this.ready.set(name, (q = []));
    return q;
  }

  /**
   * Sends what waits, as far as the global cap and each destination's cap allow. Each free slot
   * goes to the destination with the fewest sends in flight: destinations whose sends hang (a
   * receiver that times out) may fill the global cap between them, and then each slot one of them
   * frees must not go straight back to them while another waits.
   */
  private pump(): void {
    // Stopping: what a claim still brings back is handed back by stop(), never sent.
    if (!this.running) return;
    const caps = this.opts.destinations().caps;
    this.handBackStale();
    while (this.inflight.size < this.opts.concurrency) {
      let next: { d: ClaimedDelivery; claimedAt: number }[] | null = null;
      let fewest = Infinity;
      for (const [name, q] of this.ready) {
        const n = this.perDestination.get(name) ?? 0;
        if (q.length > 0 && n < (caps.get(name) ?? CAP_OF_UNKNOWN) && n < fewest) [next, fewest] = [q, n];
      }
      if (!next) return;
      this.buffered--;
      this.dispatch(next.shift()!.d);
    }
  }

  /**
   * What waited half its lease for a slot goes back to the store: another worker may soon take it
   * over (its lease runs out while it waits here). Queues are in claim order: the stale are first.
   */
  private handBackStale(): void {
    const staleAfter = this.opts.clock.now().getTime() - this.opts.leaseMs / 2;
    for (const q of this.ready.values()) {
      while (q.length > 0 && q[0]!.claimedAt < staleAfter) {
        this.buffered--;
        this.handBack(q.shift()!.d);
      }
    }
  }

  /** Back to the queue untried, no attempt used (claimed ahead, never sent). */
  private handBack(d: ClaimedDelivery): void {
    this.track(this.opts.store.defer(d.id, this.opts.clock.now(), d.claim));
  }

  private track(p: Promise<void>): void {
    const r = p
      .catch((err: unknown) => this.opts.logger.error({ err: String(err) }, 'delivery bookkeeping failed; the lease will expire and it is retried'))
      .finally(() => this.recording.delete(r));
    this.recording.add(r);
  }

  private dispatch(d: ClaimedDelivery): void {
    const key = `${d.id}#${d.attempts}`;
    const set = this.opts.destinations();
    // The set stays open while this send uses it, even if a reload replaces it meanwhile.
    set.retain();
    this.perDestination.set(d.destination, (this.perDestination.get(d.destination) ?? 0) + 1);
    const p = executeDelivery(d, { ...this.opts, destinations: set, signal: this.abort.signal })
      .then(({ settled, recorded }) => {
        this.opts.onSettled?.(d, settled);
        // The slot is freed now; the result commits with the next batch of the store's writes.
        this.track(recorded);
      })
      .catch((err: unknown) => this.opts.logger.error({ err: String(err), delivery: d.id }, 'delivery bookkeeping failed; the lease will expire and it is retried'))
      .finally(() => {
        set.release();
        this.inflight.delete(key);
        this.perDestination.set(d.destination, (this.perDestination.get(d.destination) ?? 1) - 1);
        // A slot freed: the next one waiting goes now, and the loop tops the queue up.
        if (this.running) this.pump();
        this.wake();
      });
    this.inflight.set(key, p);
  }

  /**
   * Until the next delivery falls due after now, at most idleMs. One that is due already but was
   * not claimed waits behind a full destination or a full worker: what frees it (a send finishing,
   * an ingest) wakes us, so it is not polled for in a tight loop.
   */
  private async sleepMs(claimedAt: Date): Promise<number> {
    const idle = this.opts.idleMs ?? 1000;
    try {
      const next = await this.opts.store.nextDueAt(claimedAt);
      return next ? Math.max(0, Math.min(idle, next.getTime() - this.opts.clock.now().getTime())) : idle;
    } catch {
      return idle;
    }
  }

}
