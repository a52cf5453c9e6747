import { expect } from 'chai';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { loadSettings } from '../../../src/config/env.js';
import { parseRules } from '../../../src/config/rules.js';
import { DestinationSet } from '../../../src/delivery/destination-set.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import { DestinationWatch } from '../../../src/health/destination-watch.js';
import { HealthTracker } from '../../../src/health/health-tracker.js';
import { acceptPayload } from '../../../src/ingest/accept.js';
import { exampleBodies, exampleEvents } from '../../../src/ingest/examples.js';
import { createLogger } from '../../../src/logger.js';
import { RelayEventPublisher } from '../../../src/relay-events/publish-relay-event.js';
import { failingAnnouncement } from '../../../src/relay-events/types/destination-health.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { pgSchema, type PgSchema } from '../../support/pg-schema.js';
import { tempDir } from '../../support/temp-dir.js';
import { ManualClock } from '../delivery/fixtures/delivery-fixtures.js';

const RULES = `version: 1
health: { failing_after: 10m }
destinations:
  hook: { log: {} }
  ops: { log: {} }
  quick:
    log: {}
    failing_after: 1m
routes:
  - name: everything
    to: [hook, ops, quick]
`;
const MIN = 60_000;

interface Replica {
  store: Store;
  watch: DestinationWatch;
  tracker: HealthTracker;
}

/**
 * The health watch on a real store with the real publisher, on a clock the test moves: passes are
 * called directly, so nothing here waits on time. The worker's part is the tracker's `settled`,
 * called as the worker calls it.
 */
for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`destination health watch (${engine})`, function () {
    this.timeout(20_000);
    const clock = new ManualClock(Date.parse('2026-03-01T09:00:00Z'));
    const logger = createLogger({ level: 'silent' });
    let tmp: ReturnType<typeof tempDir>;
    let db: PgSchema | null = null;
    const opened: { store: Store; set: DestinationSet }[] = [];

    beforeEach(() => {
      clock.ms = Date.parse('2026-03-01T09:00:00Z');
      tmp = tempDir();
      if (engine === 'postgres') db = pgSchema();
    });
    afterEach(async () => {
      for (const o of opened.splice(0)) {
        await o.set.close();
        await o.store.close();
      }
      await db?.drop();
      db = null;
      tmp.cleanup();
    });

    /** One relay process: its own store connection, publisher, tracker and watch. */
    async function replica(): Promise<Replica> {
      const store: Store = engine === 'sqlite' ? new SqliteStore(join(tmp.dir, 'h.db'), { clock }) : new PostgresStore(db!.url, { schema: db!.schema, clock, max: 4 });
      await store.migrate();
      const parsed = parseRules(RULES, 'rules.yaml', { env: {}, kinds: destinationKinds, examples: exampleEvents() });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const set = new DestinationSet(parsed.rules, destinationKinds, { settings: loadSettings({}), logger, clock, store });
      opened.push({ store, set });
      const sink = new RelayEventPublisher({ store, destinations: () => set, clock, logger });
      const tracker = new HealthTracker();
      const watch = new DestinationWatch({ store, rules: () => set.rules, clock, logger, intervalMs: 1000, sink, tracker, secrets: () => ['s3cr3t-value-abc'] });
      return { store, watch, tracker };
    }

    async function ingest(store: Store, destinations: string[]): Promise<void> {
      const body = { ...exampleBodies().roomdrop, conf_num: `c-${uuidv7()}` };
      const event = acceptPayload(Buffer.from(JSON.stringify(body)), 'application/json', clock.now());
      await store.ingest(event, destinations.map((destination) => ({ id: uuidv7(), destination, route: 'everything', orderKey: null })), { dedupeSince: new Date(0) });
    }

    const fail = (r: Replica, destination: string, error = 'HTTP 503 Service Unavailable'): void =>
      r.tracker.settled({ destination }, { outcome: { kind: 'retry', reason: 'server', error }, next: 'retry' }, clock.now());
    const succeed = (r: Replica, destination: string): void => r.tracker.settled({ destination }, { outcome: { kind: 'success', statusCode: 200 }, next: 'delivered' }, clock.now());

    async function health(store: Store, type: 'failing' | 'recovered'): Promise<{ body: Record<string, any>; destinations: string[] }[]> {
      const events = await store.listEvents({ limit: 50, type: `relay.destination.${type}` });
      return Promise.all(events.map(async (e) => ({ body: (await store.getEvent(e.id))!.body as Record<string, any>, destinations: e.deliveries.map((d) => d.destination).sort() })));
    }

    it('failing once no success came for failing_after while deliveries waited and failed; recovered on the first success', async () => {
      const a = await replica();
      await ingest(a.store, ['hook']);
      clock.ms += 1000;
      fail(a, 'hook', 'HTTP 503: token=s3cr3t-value-abc');
      await a.watch.pass();
      expect(await health(a.store, 'failing'), 'not before failing_after').to.deep.equal([]);

      clock.ms += 10 * MIN;
      fail(a, 'hook');
      await a.watch.pass();
      const [failing, ...more] = await health(a.store, 'failing');
      expect(more).to.deep.equal([]);
      expect(failing!.destinations, 'never to the destination it is about').to.deep.equal(['ops', 'quick']);
      expect(failing!.body).to.include({ destination: 'hook', episode: 1, waiting: 1, failing_after: '10m', last_success_at: null, failing_since: '2026-03-01T09:00:00.000Z', oldest_waiting_at: '2026-03-01T09:00:00.000Z' });
      expect(failing!.body.about).to.deep.equal({ destination: 'hook' });
      expect(failing!.body.last_errors.map((e: { error: string }) => e.error)).to.deep.equal(['HTTP 503: token=[redacted]', 'HTTP 503 Service Unavailable']);

      // Still failing: later passes announce nothing more.
      clock.ms += 10 * MIN;
      fail(a, 'hook');
      await a.watch.pass();
      await a.watch.pass();
      expect(await health(a.store, 'failing')).to.have.length(1);
      expect(await health(a.store, 'recovered')).to.deep.equal([]);

      clock.ms += MIN;
      succeed(a, 'hook');
      const recoveredAt = clock.now().toISOString();
      clock.ms += 5000;
      await a.watch.pass();
      await a.watch.pass();
      const recovered = await health(a.store, 'recovered');
      expect(recovered).to.have.length(1);
      expect(recovered[0]!.destinations).to.deep.equal(['ops', 'quick']);
      expect(recovered[0]!.body).to.include({ destination: 'hook', episode: 1, failing_since: '2026-03-01T09:00:00.000Z', recovered_at: recoveredAt, down_for: '21m 1s', down_for_seconds: 1261 });
      expect((await a.store.destinationRecords(['hook']))[0]).to.include({ state: 'ok', announced: 'ok', episode: 1 });
    });

    it('a second episode is announced again, with its own number', async () => {
      const a = await replica();
      for (const episode of [1, 2]) {
        await ingest(a.store, ['hook']);
        clock.ms += 11 * MIN;
        fail(a, 'hook');
        await a.watch.pass();
        clock.ms += MIN;
        succeed(a, 'hook');
        await a.watch.pass();
        expect((await health(a.store, 'failing')).map((f) => f.body.episode)).to.include(episode);
        expect((await health(a.store, 'recovered')).map((f) => f.body.episode)).to.include(episode);
        // The delivery that waited is done: the next episode waits on a new one.
        const [d] = await a.store.claim({ now: new Date(clock.ms + 3600_000), limit: 1, leaseMs: 1000 });
        await a.store.succeed(d!.id, { attempt: d!.attempts, claim: d!.claim, startedAt: clock.now().toISOString(), durationMs: 1, outcome: 'success' });
      }
      expect(await health(a.store, 'failing')).to.have.length(2);
      expect(await health(a.store, 'recovered')).to.have.length(2);
    });

    it('a destination that only waits (no attempt failed) or just began to fail after long idleness is not failing', async () => {
      const a = await replica();
      // Its last success long ago, then nothing to do.
      succeed(a, 'hook');
      await a.watch.pass();
      clock.ms += 60 * MIN;
      await ingest(a.store, ['hook', 'ops']);
      clock.ms += 30_000;
      fail(a, 'hook');
      await a.watch.pass();
      // ops waits 11 minutes without one attempt failing: the worker is not running, not its fault.
      clock.ms += 11 * MIN;
      await a.watch.pass();
      expect((await health(a.store, 'failing')).map((f) => f.body.destination)).to.deep.equal(['hook'], 'hook: 11.5 minutes since its delivery waits');
    });

    it("a destination's own failing_after overrides health.failing_after", async () => {
      const a = await replica();
      await ingest(a.store, ['quick', 'hook']);
      clock.ms += 2 * MIN;
      fail(a, 'quick');
      fail(a, 'hook');
      await a.watch.pass();
      expect((await health(a.store, 'failing')).map((f) => f.body.destination)).to.deep.equal(['quick']);
      expect((await health(a.store, 'failing'))[0]!.body.failing_after).to.equal('1m');
    });

    it('two replicas deciding at the same moment: exactly one failing and one recovered', async () => {
      const [a, b] = [await replica(), await replica()];
      await ingest(a.store, ['hook']);
      for (let round = 0; round < 3; round++) {
        clock.ms += 4 * MIN;
        fail(a, 'hook');
        fail(b, 'hook');
        await Promise.all([a.watch.pass(), b.watch.pass()]);
      }
      expect(await health(a.store, 'failing')).to.have.length(1);
      succeed(b, 'hook');
      clock.ms += 1000;
      await Promise.all([a.watch.pass(), b.watch.pass()]);
      await Promise.all([a.watch.pass(), b.watch.pass()]);
      expect(await health(a.store, 'recovered')).to.have.length(1);
      expect(await health(a.store, 'failing')).to.have.length(1);
    });

    it('a crash between the transition and its announcement: the next pass (of any replica) announces it, once', async () => {
      const a = await replica();
      await ingest(a.store, ['hook']);
      clock.ms += 11 * MIN;
      fail(a, 'hook');
      await a.watch.pass();
      const [record] = await a.store.destinationRecords(['hook']);
      // What a crashed relay left: the record moved to failing, its event never stored.
      await a.store.transitionDestination({ kind: 'recovered', destination: 'hook', episode: record!.episode, at: clock.now() });
      await a.store.transitionDestination({ kind: 'announced', destination: 'hook', episode: record!.episode, state: 'ok' });
      await a.store.transitionDestination({ kind: 'failing', destination: 'hook', episode: record!.episode, at: clock.now() });
      expect((await a.store.destinationRecords(['hook']))[0]).to.include({ state: 'failing', announced: 'ok', episode: 2 });

      const restarted = await replica();
      await restarted.watch.pass();
      await restarted.watch.pass();
      expect((await health(a.store, 'failing')).map((f) => f.body.episode).sort()).to.deep.equal([1, 2]);
      expect((await a.store.destinationRecords(['hook']))[0]).to.include({ state: 'failing', announced: 'failing', episode: 2 });
    });

    it('a crash after the announcement was stored but before it was marked: published again, still one event', async () => {
      const a = await replica();
      await ingest(a.store, ['hook']);
      clock.ms += 11 * MIN;
      fail(a, 'hook');
      await a.store.observeDestinations(a.tracker.take());
      const [record] = await a.store.destinationRecords(['hook']);
      expect(await a.store.transitionDestination({ kind: 'failing', destination: 'hook', episode: record!.episode, at: clock.now() })).to.equal(true);
      const set = opened[0]!.set;
      const sink = new RelayEventPublisher({ store: a.store, destinations: () => set, clock, logger });
      await sink.publish(failingAnnouncement({ destination: 'hook', episode: 1, failingSince: clock.now().toISOString(), failingAfterMs: 10 * MIN, lastSuccessAt: null, lastErrors: [], waiting: 1, oldestWaitingAt: null }));

      await a.watch.pass();
      expect(await health(a.store, 'failing')).to.have.length(1);
      expect((await a.store.destinationRecords(['hook']))[0]).to.include({ state: 'failing', announced: 'failing' });
    });

    it('what the worker saw is kept for the next pass when the store cannot take it', async () => {
      const a = await replica();
      fail(a, 'hook', 'first');
      const observed = a.tracker.take();
      a.tracker.giveBack(observed);
      fail(a, 'hook', 'second');
      await a.watch.pass();
      expect((await a.store.destinationRecords(['hook']))[0]!.lastErrors.map((e) => e.error)).to.deep.equal(['first', 'second']);
    });
  });
}
