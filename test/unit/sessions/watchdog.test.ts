import { expect } from 'chai';
import { formatSessionKey } from '../../../src/sessions/session-key.js';
import type { RelayEventSink } from '../../../src/relay-events/relay-event.js';
import { sessionEvent } from '../../contract/session-fixtures.js';
import { ManualClock } from '../delivery/fixtures/delivery-fixtures.js';
import { engines, HOUR, relayEvents, Replica, RULES, rulesOf, type Engine } from './watchdog-harness.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const KEY = formatSessionKey({ appId: 'app-1', roomId: 'room-1', confNum: 'conf-1' });
const roomdrop = (t: number) => sessionEvent({ type: 'roomdrop' }, new Date(t));
const recording = (t: number) => sessionEvent({ type: 'recording', recording: 'https://p.example/a.mp4' }, new Date(t));

for (const { name, make } of engines()) {
  describe(`the session watchdog (${name})`, function () {
    this.timeout(30_000);
    let engine: Engine;
    const open: Replica[] = [];
    const replica = async (clock = new ManualClock(T0), rules = rulesOf(RULES), sink?: ConstructorParameters<typeof Replica>[3]): Promise<Replica> => {
      const r = new Replica(await engine.open(), rules, clock, sink);
      open.push(r);
      return r;
    };
    beforeEach(() => (engine = make()));
    afterEach(async () => {
      for (const r of open.splice(0)) await r.close().catch(() => {});
      await engine.cleanup();
    });

    it('an expectation overdue fires once when `within` passes, routed like any event; the late event recovers it once', async () => {
      const r = await replica();
      await r.ingest(roomdrop(T0));
      r.clock.ms = T0 + 2 * HOUR - 1;
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 0, cancelled: 0 });
      r.clock.ms = T0 + 2 * HOUR;
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 1 });
      r.clock.ms = T0 + 5 * HOUR;
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 0, recovered: 0 });
      const [overdue, ...more] = await relayEvents(r.store, 'relay.session.overdue');
      expect(more).to.deep.equal([]);
      expect(overdue!.body).to.deep.include({
        type: 'relay.session.overdue',
        app_id: 'app-1',
        room_id: 'room-1',
        conf_num: 'conf-1',
        session_key: KEY,
        expectation: 'recording after the session ends',
        after: 'roomdrop',
        then: 'recording',
        missing: ['recording'],
        arrived: ['roomdrop'],
        since: new Date(T0).toISOString(),
        due_at: new Date(T0 + 2 * HOUR).toISOString(),
        within: '2h',
      });
      expect((await r.store.listDeliveries(overdue!.id)).map((d) => [d.destination, d.route])).to.deep.equal([['ops', 'all']]);
      expect((await r.store.getSession(KEY))!.watches.map((w) => w.state)).to.deep.equal(['overdue']);
      expect((await r.store.pageSessions({ limit: 5, overdue: true })).items.map((s) => s.key)).to.deep.equal([KEY]);

      await r.ingest(recording(T0 + 6 * HOUR));
      r.clock.ms = T0 + 6 * HOUR + 1000;
      expect(await r.watchdog.pass()).to.deep.include({ recovered: 1 });
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 0, recovered: 0 });
      const recovered = await relayEvents(r.store, 'relay.session.recovered');
      expect(recovered).to.have.length(1);
      expect(recovered[0]!.body).to.deep.include({ session_key: KEY, missing: [], arrived_at: new Date(T0 + 6 * HOUR).toISOString() });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.have.length(1);
      const record = await r.store.getSession(KEY);
      expect(record!.watches.map((w) => w.state)).to.deep.equal(['recovered']);
      // The announcements are events of the session (its Slack thread): listed in its record.
      expect(record!.events.map((e) => e.type)).to.deep.equal(['roomdrop', 'relay.session.overdue', 'recording', 'relay.session.recovered']);
      expect((await r.store.pageSessions({ limit: 5, overdue: true })).items).to.deep.equal([]);
    });

    it('nothing fires when the awaited event came in time, or before the `after` one', async () => {
      const r = await replica();
      await r.ingest(roomdrop(T0));
      await r.ingest(recording(T0 + HOUR));
      const other = sessionEvent({ type: 'recording', room_id: 'room-2', recording: 'https://p.example/b.mp4' }, new Date(T0));
      await r.ingest(other);
      await r.ingest(sessionEvent({ type: 'roomdrop', room_id: 'room-2' }, new Date(T0 + 1000)));
      r.clock.ms = T0 + 10 * HOUR;
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 0, cancelled: 0 });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.deep.equal([]);
    });

    it('across a restart: a watch due while the relay was down fires after it, once', async () => {
      let r = await replica();
      await r.ingest(roomdrop(T0));
      await r.close();
      open.splice(0);
      r = await replica(new ManualClock(T0 + 3 * HOUR));
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 1 });
      await r.close();
      open.splice(0);
      r = await replica(new ManualClock(T0 + 4 * HOUR));
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 0 });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.have.length(1);
    });

    it('a crash between publishing and marking: the next relay publishes again, and it is still one event', async () => {
      const crashing = (p: RelayEventSink): RelayEventSink => ({
        publish: async (d) => {
          await p.publish(d);
          throw new Error('killed before the mark');
        },
      });
      let r = await replica(new ManualClock(T0), undefined, crashing);
      await r.ingest(roomdrop(T0));
      r.clock.ms = T0 + 2 * HOUR;
      let failed: unknown = null;
      await r.watchdog.pass().catch((err: unknown) => (failed = err));
      expect(String(failed)).to.include('killed before the mark');
      await r.close();
      open.splice(0);
      r = await replica(new ManualClock(T0 + 2 * HOUR + 1000));
      expect((await r.store.getSession(KEY))!.watches.map((w) => w.state)).to.deep.equal(['waiting'], 'not marked: the crash came first');
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 1 });
      expect((await r.store.getSession(KEY))!.watches.map((w) => w.state)).to.deep.equal(['overdue']);
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.have.length(1);
    });

    it('an expectation removed from the rules stops firing; rules changes apply at the next pass', async () => {
      const r = await replica();
      await r.ingest(roomdrop(T0));
      await r.ingest(sessionEvent({ type: 'roomdrop', room_id: 'room-2' }, new Date(T0)));
      r.rules = rulesOf(RULES.replace(/sessions:[\s\S]*$/, ''));
      r.clock.ms = T0 + 3 * HOUR;
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 0, cancelled: 2 });
      r.rules = rulesOf(RULES);
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 0, cancelled: 0 });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.deep.equal([]);
      expect((await r.store.getSession(KEY))!.watches.map((w) => w.state)).to.deep.equal(['cancelled']);
    });

    it('stop() during a pass ends it after the watch at hand: a shutdown does not wait for every due watch', async () => {
      let published = 0;
      let first!: () => void;
      const started = new Promise<void>((resolve) => (first = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const holding = (p: RelayEventSink): RelayEventSink => ({
        publish: async (d) => {
          published++;
          first();
          await gate;
          return p.publish(d);
        },
      });
      const r = await replica(new ManualClock(T0 + 3 * HOUR), undefined, holding);
      for (let i = 0; i < 7; i++) await r.ingest(sessionEvent({ type: 'roomdrop', room_id: `room-${i}` }, new Date(T0 + i)));
      r.watchdog.start();
      await started;
      const stopping = r.watchdog.stop();
      release();
      await stopping;
      expect(published).to.equal(1);
      // What it did is kept, the rest is the next relay's.
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.have.length(1);
      expect((await r.store.pageSessions({ limit: 10, overdue: true })).items).to.have.length(1);
    });

    it('a `within` lengthened by a rules reload: a watch opened under the old one is due at the new one, once', async () => {
      const r = await replica();
      await r.ingest(roomdrop(T0));
      r.rules = rulesOf(RULES.replace('within: 2h', 'within: 6h'));
      r.clock.ms = T0 + 3 * HOUR;
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 0, cancelled: 0 });
      expect((await r.store.getSession(KEY))!.watches.map((w) => [w.state, w.dueAt])).to.deep.equal([['waiting', new Date(T0 + 6 * HOUR).toISOString()]]);
      expect(await r.store.dueWatches(new Date(T0 + 5 * HOUR), 10)).to.deep.equal([]);
      r.clock.ms = T0 + 6 * HOUR;
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 1 });
      const [e] = await relayEvents(r.store, 'relay.session.overdue');
      expect(e!.body).to.deep.include({ within: '6h', due_at: new Date(T0 + 6 * HOUR).toISOString() });
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 0 });
    });

    it('a `within` shortened by a rules reload: the announcement names the one in force', async () => {
      const r = await replica(new ManualClock(T0), rulesOf(RULES.replace('within: 2h', 'within: 6h')));
      await r.ingest(roomdrop(T0));
      r.rules = rulesOf(RULES);
      r.clock.ms = T0 + 6 * HOUR;
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 1 });
      const [e] = await relayEvents(r.store, 'relay.session.overdue');
      expect(e!.body).to.deep.include({ within: '2h', due_at: new Date(T0 + 2 * HOUR).toISOString() });
    });

    it('many due at once: a pass goes through them all in bounded batches', async () => {
      const r = await replica();
      for (let i = 0; i < 7; i++) await r.ingest(sessionEvent({ type: 'roomdrop', room_id: `room-${i}` }, new Date(T0 + i)));
      r.clock.ms = T0 + 3 * HOUR;
      expect(await r.watchdog.pass()).to.deep.include({ overdue: 7 });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.have.length(7);
    });

    it('a watch left waiting though its `then` is stored (two replicas committed them side by side) is met, not overdue', async function () {
      if (!engine.sql) this.skip();
      const r = await replica();
      await r.ingest(roomdrop(T0));
      await r.ingest(recording(T0 + 1000));
      // Each commit missed the other's row: the watch stayed waiting.
      await engine.sql!("UPDATE session_watches SET state = 'waiting'");
      r.clock.ms = T0 + 3 * HOUR;
      expect(await r.watchdog.pass()).to.deep.equal({ overdue: 0, recovered: 0, met: 1, cancelled: 0 });
      expect(await relayEvents(r.store, 'relay.session.overdue')).to.deep.equal([]);
    });

    it('two relays on one store at the same moment announce it exactly once', async () => {
      const [a, b] = [await replica(new ManualClock(T0)), await replica(new ManualClock(T0))];
      for (let i = 0; i < 5; i++) await a.ingest(sessionEvent({ type: 'roomdrop', room_id: `room-${i}` }, new Date(T0 + i)));
      a.clock.ms = b.clock.ms = T0 + 3 * HOUR;
      await Promise.all([a.watchdog.pass(), b.watchdog.pass()]);
      const overdue = await relayEvents(a.store, 'relay.session.overdue');
      expect(overdue.map((e) => e.body.room_id).sort()).to.deep.equal(['room-0', 'room-1', 'room-2', 'room-3', 'room-4']);
      for (let i = 0; i < 5; i++) await b.ingest(sessionEvent({ type: 'recording', room_id: `room-${i}`, recording: 'https://p.example/a.mp4' }, new Date(T0 + 4 * HOUR)));
      await Promise.all([a.watchdog.pass(), b.watchdog.pass()]);
      expect(await relayEvents(b.store, 'relay.session.recovered')).to.have.length(5);
      expect(await relayEvents(b.store, 'relay.session.overdue')).to.have.length(5);
    });
  });
}
