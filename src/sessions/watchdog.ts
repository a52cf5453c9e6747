import { Alarm } from '../domain/alarm.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { RelayEventSink } from '../relay-events/relay-event.js';
import { overdueDraft, recoveredDraft } from '../relay-events/types/session-overdue.js';
import type { Store } from '../store/store.js';
import type { ExpectationSpec } from './expectation.js';
import type { DueWatch, WatchMark } from './session-types.js';

export interface SessionWatchdogDeps {
  store: Store;
  /** The expectations in force (rules reloads apply at the next pass). */
  expectations: () => readonly ExpectationSpec[];
  clock: Clock;
  logger: Logger;
  /** RELAY_WATCH_INTERVAL. */
  intervalMs: number;
  /** Where the announcements go (the relay's RelayEventPublisher). */
  sink: RelayEventSink;
  /** Watches read per store call (default 100); a pass loops until none is due. */
  batch?: number;
}

/** What one pass did. */
export interface WatchdogPass {
  overdue: number;
  recovered: number;
  met: number;
  cancelled: number;
}

/** A pass stops after this many batches, even if more are due: the next pass goes on. */
const MAX_BATCHES = 50;

/**
 * The session watchdog: every interval it reads the due watches (waiting past their due time,
 * and late ones) through the store's timer indexes and acts on each:
 * - its expectation left the rules (or changed its `after` / `then`): cancelled, never fires;
 * - waiting, but the `then` event is stored after all (it came while another replica opened the
 *   watch): met, nothing told;
 * - waiting: relay.session.overdue is published, then the watch marked overdue (or, if the
 *   `then` came in between, late: recovered follows);
 * - late: relay.session.recovered is published, then the watch marked recovered.
 * Publishing first and marking after means a crash between the two publishes again at the next
 * pass, and the publisher's `once` (session key + expectation name) makes that, and two replicas
 * doing the same at one moment, one event.
 */
export class SessionWatchdog {
  private stopped = true;
  /** stop() was called: a pass in progress ends after the watch at hand (what it did is kept). */
  private halting = false;
  private loop: Promise<void> | null = null;
  private readonly alarm = new Alarm();

  constructor(private readonly deps: SessionWatchdogDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halting = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.halting = true;
    this.alarm.wake();
    await this.loop;
  }

  /** One pass at the clock's now (the loop's step; tests call it directly). */
  async pass(): Promise<WatchdogPass> {
    const done: WatchdogPass = { overdue: 0, recovered: 0, met: 0, cancelled: 0 };
    const { store } = this.deps;
    const batch = this.deps.batch ?? 100;
    for (let i = 0; i < MAX_BATCHES && !this.halting; i++) {
      const now = this.deps.clock.now();
      const due = await store.dueWatches(now, batch);
      if (due.length === 0) break;
      const byName = new Map(this.deps.expectations().map((x) => [x.name, x]));
      for (const d of due) {
        // Shutting down: the rest is the next pass's (of this relay after a restart, or another's).
        if (this.halting) break;
        await this.act(d, byName.get(d.watch.name), now, done);
      }
      if (due.length < batch) break;
    }
    return done;
  }

  private async act(d: DueWatch, x: ExpectationSpec | undefined, now: Date, done: WatchdogPass): Promise<void> {
    const { store, sink, logger } = this.deps;
    const w = d.watch;
    const mark = (marks: WatchMark[]): Promise<number> => store.markWatches(marks, now);
    const at = { key: d.key, name: w.name };
    if (!x || x.after !== w.afterType || x.then !== w.thenType) {
      if (await mark([{ ...at, from: w.state, to: 'cancelled' }])) done.cancelled++;
      return;
    }
    if (w.state === 'waiting' && !d.thenSeen) {
      // `within` changed in the rules since the watch opened: it is due at its `after` plus the
      // `within` in force. Later than now: due again then (the watch leaves the due index meanwhile).
      const dueAt = new Date(Date.parse(w.afterAt) + x.withinMs);
      if (dueAt.getTime() !== Date.parse(w.dueAt) && dueAt > now) {
        await mark([{ ...at, from: 'waiting', to: 'waiting', dueAt: dueAt.toISOString() }]);
        return;
      }
    }
    if (w.state === 'waiting' && d.thenSeen) {
      if (await mark([{ ...at, from: 'waiting', to: 'met' }])) done.met++;
      return;
    }
    if (w.state === 'waiting') {
      // Due since its `within` shrank in the rules: the announcement says the one in force.
      const dueAt = new Date(Date.parse(w.afterAt) + x.withinMs).toISOString();
      const r = await sink.publish(overdueDraft(dueAt < w.dueAt ? { ...d, watch: { ...w, dueAt } } : d));
      await mark([
        { ...at, from: 'waiting', to: 'overdue' },
        { ...at, from: 'met', to: 'late' },
      ]);
      done.overdue++;
      logger.warn({ session: d.key, expectation: w.name, missing: w.thenType, event: r.eventId, duplicate: !r.published }, 'session overdue: announced');
      return;
    }
    if (w.state === 'late') {
      const r = await sink.publish(recoveredDraft(d, w.updatedAt));
      await mark([{ ...at, from: 'late', to: 'recovered' }]);
      done.recovered++;
      logger.info({ session: d.key, expectation: w.name, arrived: w.thenType, event: r.eventId, duplicate: !r.published }, 'session recovered: announced');
    }
  }

  private run(): Promise<void> {
    return this.alarm.repeat(
      this.deps.intervalMs,
      () => this.stopped,
      () => this.pass(),
      (err) => this.deps.logger.warn({ err: String(err) }, 'session watchdog: could not look at the due watches; trying again at the next interval'),
    );
  }

}
