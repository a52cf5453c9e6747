import { Alarm } from '../domain/alarm.js';
import type { Rules } from '../config/rules-types.js';
import { failingAfterOf } from '../config/rules-health.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { RelayEventSink } from '../relay-events/relay-event.js';
import { failingAnnouncement, recoveredAnnouncement } from '../relay-events/types/destination-health.js';
import { secretMask } from '../secrets/mask.js';
import type { DestinationHealthRecord } from '../store/health-records.js';
import type { DestinationBacklog, Store } from '../store/store.js';
import { decideHealth } from './health-decision.js';
import type { HealthTracker } from './health-tracker.js';

export interface DestinationWatchDeps {
  store: Store;
  /** The rules in force: the destinations watched and their failing_after. */
  rules: () => Pick<Rules, 'destinations' | 'health'>;
  clock: Clock;
  logger: Logger;
  /** RELAY_WATCH_INTERVAL. */
  intervalMs: number;
  /** Where the announcements go (the relay's RelayEventPublisher). */
  sink: RelayEventSink;
  /** What this process's worker saw; written to the store once per pass. */
  tracker: HealthTracker;
  /** Every secret seen: masked out of the errors an announcement quotes. */
  secrets: () => readonly string[];
  /** After each pass: which watched destinations are failing (the metrics gauge). */
  onStates?: (states: { destination: string; failing: boolean }[]) => void;
}

/**
 * Destination health, announced: every interval (and soon after a success of a destination it
 * knows as failing) it writes what the worker saw, reads the records and backlog counters of the
 * destinations in the rules (a few rows, whatever is stored) and moves each between ok and
 * failing (health-decision.ts). A transition is a conditional update, so of several replicas
 * exactly one makes it; its relay event is published, then marked announced. A crash (or a
 * store error) between the two leaves the record unannounced: the next pass of any replica
 * publishes it again, and the publisher's `once` (destination, state, episode) keeps that to one
 * event, however many passes or replicas try.
 */
export class DestinationWatch {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private readonly alarm = new Alarm();
  private failing = new Set<string>();

  constructor(private readonly deps: DestinationWatchDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** A success of `destination`: if it is failing, look again now rather than at the next interval. */
  succeeded(destination: string): void {
    if (this.failing.has(destination)) this.wake();
  }

  /** Stops the loop, then writes what the worker saw last (call after the worker stopped). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake();
    await this.loop;
    await this.flush().catch((err: unknown) => this.deps.logger.warn({ err: String(err) }, 'destination health: the last observations could not be written'));
  }

  /** One look at every destination in the rules (the loop's step; tests call it directly). */
  async pass(): Promise<void> {
    const { store, logger } = this.deps;
    await this.flush();
    const rules = this.deps.rules();
    const names = [...rules.destinations.keys()];
    const [records, backlog] = await Promise.all([store.destinationRecords(names), store.backlog()]);
    const byName = new Map(backlog.map((b) => [b.destination, b]));
    const now = this.deps.clock.now();
    const failing = new Set<string>();
    for (const r of records) {
      try {
        const state = await this.step(r, byName.get(r.destination), failingAfterOf(rules, r.destination), now);
        if (state === 'failing') failing.add(r.destination);
      } catch (err) {
        if (r.state === 'failing') failing.add(r.destination);
        logger.warn({ err: String(err), destination: r.destination }, 'destination health: could not announce; the next pass tries again');
      }
    }
    this.failing = failing;
    this.deps.onStates?.(names.map((destination) => ({ destination, failing: failing.has(destination) })));
  }

  private run(): Promise<void> {
    return this.alarm.repeat(
      this.deps.intervalMs,
      () => this.stopped,
      () => this.pass(),
      (err) => this.deps.logger.warn({ err: String(err) }, 'destination health: the store could not be read; trying again at the next interval'),
    );
  }

  private async flush(): Promise<void> {
    const observed = this.deps.tracker.take();
    if (observed.length === 0) return;
    try {
      await this.deps.store.observeDestinations(observed);
    } catch (err) {
      this.deps.tracker.giveBack(observed);
      throw err;
    }
  }

  /** Moves one destination if it is due to; returns its state after. */
  private async step(r: DestinationHealthRecord, b: DestinationBacklog | undefined, failingAfterMs: number, now: Date): Promise<DestinationHealthRecord['state']> {
    if (r.announced !== r.state) {
      await this.announce(r, b, failingAfterMs);
      return r.state;
    }
    const d = decideHealth(r, b, failingAfterMs, now);
    if (!d) return r.state;
    const { store } = this.deps;
    if (d.kind === 'failing') {
      // Lost: another replica moved it first, and announces it.
      if (!(await store.transitionDestination({ kind: 'failing', destination: r.destination, episode: r.episode, at: d.since }))) return r.state;
      await this.announce({ ...r, state: 'failing', episode: r.episode + 1, failingSince: d.since.toISOString(), recoveredAt: null }, b, failingAfterMs);
      return 'failing';
    }
    if (!(await store.transitionDestination({ kind: 'recovered', destination: r.destination, episode: r.episode, at: d.at }))) return r.state;
    await this.announce({ ...r, state: 'ok', recoveredAt: d.at.toISOString() }, b, failingAfterMs);
    return 'ok';
  }

  private async announce(r: DestinationHealthRecord, b: DestinationBacklog | undefined, failingAfterMs: number): Promise<void> {
    const { store, logger, sink } = this.deps;
    const now = this.deps.clock.now().toISOString();
    const mask = secretMask(this.deps.secrets());
    const draft =
      r.state === 'failing'
        ? failingAnnouncement({
            destination: r.destination,
            episode: r.episode,
            failingSince: r.failingSince ?? now,
            failingAfterMs,
            lastSuccessAt: r.lastSuccessAt,
            // Those of this episode (a replica's list may reach back past it).
            lastErrors: r.lastErrors.filter((e) => !r.failingSince || e.at >= r.failingSince).map((e) => ({ at: e.at, error: mask.text(e.error) })),
            waiting: b ? b.counts.pending + b.counts.delivering : 0,
            oldestWaitingAt: b?.oldestOpenAt ?? null,
          })
        : recoveredAnnouncement({ destination: r.destination, episode: r.episode, failingSince: r.failingSince ?? now, recoveredAt: r.recoveredAt ?? now });
    const result = await sink.publish(draft);
    await store.transitionDestination({ kind: 'announced', destination: r.destination, episode: r.episode, state: r.state });
    const line = { destination: r.destination, episode: r.episode, event: result.eventId, duplicate: !result.published };
    if (r.state === 'failing') logger.warn(line, 'destination is failing: announced');
    else logger.info(line, 'destination recovered: announced');
  }

  private wake(): void {
    this.alarm.wake();
  }

}
