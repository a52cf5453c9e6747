import { expect } from 'chai';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Rules, DestinationSpec } from '../../../src/config/rules-types.js';
import type { ClaimedDelivery } from '../../../src/domain/delivery.js';
import type { SendOutcome } from '../../../src/domain/outcome.js';
import type { Destination, DestinationKind } from '../../../src/delivery/destination.js';
import { DestinationSet } from '../../../src/delivery/destination-set.js';
import { Worker } from '../../../src/delivery/worker.js';
import { acceptPayload } from '../../../src/ingest/accept.js';
import { exampleBodies } from '../../../src/ingest/examples.js';
import { createLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { loadSettings } from '../../../src/config/env.js';
import { eventually } from '../../support/eventually.js';
import { tempDir } from '../../support/temp-dir.js';

/** A destination whose answers the test scripts: the worker is what is under test here. */
type Script = (d: ClaimedDelivery, signal: AbortSignal) => Promise<SendOutcome>;

function scriptedKind(scripts: Map<string, Script>, sent: string[]): DestinationKind {
  return {
    kind: 'log',
    create(spec): Destination {
      return {
        name: spec.name,
        kind: 'log',
        orderKey: () => null,
        render: async () => ({ target: spec.name, summary: '', payload: null }),
        async send(d, signal) {
          sent.push(`${spec.name}:${d.eventId}`);
          return scripts.get(spec.name)!(d, signal);
        },
      };
    },
  };
}

function rulesFor(names: string[], scheduleMs: number[], caps: Record<string, number> = {}): Rules {
  const destinations = new Map<string, DestinationSpec>(
    names.map((name) => [name, { name, kind: 'log', options: {}, concurrency: caps[name], pos: { file: 'test', line: 1, column: 1 } }]),
  );
  return { version: 1, file: 'test', hash: 'h', loadedAt: new Date().toISOString(), destinations, routes: [], fallback: null, retry: { scheduleMs }, secrets: [] };
}

describe('the delivery worker', function () {
  let store: Store;
  let tmp: ReturnType<typeof tempDir>;
  const clock = { t: Date.parse('2026-01-01T00:00:00Z'), now() { return new Date(this.t); } };
  const logger = createLogger({ level: 'silent' });
  let workers: Worker[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    store = await openStore({ engine: 'sqlite', path: join(tmp.dir, 'w.db') });
    clock.t = Date.parse('2026-01-01T00:00:00Z');
    workers = [];
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop(100)));
    await store.close();
    tmp.cleanup();
  });

  async function ingest(destinations: string[], n = 1): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const body = { ...exampleBodies().roomdrop, conf_num: `c-${uuidv7()}` };
      const event = acceptPayload(Buffer.from(JSON.stringify(body)), 'application/json', clock.now());
      await store.ingest(event, destinations.map((destination) => ({ id: uuidv7(), destination, route: 'r', orderKey: null })), { dedupeSince: new Date(0) });
      ids.push(event.id);
    }
    return ids;
  }

  function start(set: DestinationSet, concurrency = 8): Worker {
    const w = new Worker({ store, destinations: () => set, clock, logger, concurrency, leaseMs: 60_000, idleMs: 20 });
    workers.push(w);
    w.start();
    return w;
  }

  const deps = () => ({ settings: loadSettings({}), logger, clock, store });

  it('delivers what is due and records success', async () => {
    const sent: string[] = [];
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(new Map([['a', async () => ({ kind: 'success', statusCode: 200 })]]), sent)]]), deps());
    const [id] = await ingest(['a'], 3);
    start(set);
    await eventually(async () => expect((await store.stats()).delivered).to.equal(3));
    expect(sent).to.include(`a:${id}`);
    const [d] = await store.listDeliveries(id!);
    expect(await store.listAttempts(d!.id)).to.have.length(1);
  });

  it('retries on the schedule, then ends dead with the reason after the last step', async () => {
    const sent: string[] = [];
    const set = new DestinationSet(
      rulesFor(['a'], [10_000, 60_000]),
      new Map([['log', scriptedKind(new Map([['a', async () => ({ kind: 'retry', reason: 'server', error: 'HTTP 503', statusCode: 503 })]]), sent)]]),
      deps(),
    );
    const [id] = await ingest(['a']);
    start(set);
    await eventually(() => expect(sent).to.have.length(1));
    const [d1] = await eventually(async () => {
      const ds = await store.listDeliveries(id!);
      expect(ds[0]!.status).to.equal('pending');
      return ds;
    });
    // Next attempt 10 s ± 20 % later: not before the clock moves.
    const next = Date.parse(d1!.nextAttemptAt!) - clock.t;
    expect(next).to.be.within(8_000, 12_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).to.have.length(1);
    clock.t += 12_001;
    await eventually(() => expect(sent).to.have.length(2));
    clock.t += 72_001;
    await eventually(() => expect(sent).to.have.length(3));
    const [d] = await eventually(async () => {
      const ds = await store.listDeliveries(id!);
      expect(ds[0]!.status).to.equal('dead');
      return ds;
    });
    expect(d!.lastError).to.match(/gave up after 3 attempts.*HTTP 503/);
    expect(d!.attempts).to.equal(3);
  });

  it('hands a deferred delivery back without using an attempt or a step of the schedule', async () => {
    let calls = 0;
    const scripts = new Map<string, Script>([
      ['a', async () => (++calls <= 3 ? { kind: 'deferred', reason: 'rate_limited', error: 'channel busy', waitMs: 5000 } : { kind: 'success' })],
    ]);
    // A schedule of one step: three counted failures would have killed it.
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(scripts, [])]]), deps());
    const [id] = await ingest(['a']);
    start(set);
    for (let i = 1; i <= 3; i++) {
      await eventually(() => expect(calls).to.equal(i));
      await eventually(async () => expect((await store.listDeliveries(id!))[0]).to.include({ status: 'pending', attempts: 0 }));
      clock.t += 5000;
    }
    await eventually(async () => expect((await store.listDeliveries(id!))[0]).to.include({ status: 'delivered', attempts: 1 }));
    const [d] = await store.listDeliveries(id!);
    expect((await store.listAttempts(d!.id)).map((a) => a.outcome)).to.deep.equal(['success']);
  });

  it('sends a permanent failure straight to dead', async () => {
    const set = new DestinationSet(
      rulesFor(['a'], [1000, 1000]),
      new Map([['log', scriptedKind(new Map([['a', async () => ({ kind: 'permanent', reason: 'client', error: 'HTTP 410', statusCode: 410 })]]), [])]]),
      deps(),
    );
    const [id] = await ingest(['a']);
    start(set);
    await eventually(async () => {
      const [d] = await store.listDeliveries(id!);
      expect(d!.status).to.equal('dead');
      expect(d!.attempts).to.equal(1);
      expect(d!.lastError).to.equal('client: HTTP 410');
    });
  });

  it('keeps a slow destination to its own cap so the others go through', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scripts = new Map<string, Script>([
      ['slow', async () => (await gate, { kind: 'success' })],
      ['fast', async () => ({ kind: 'success' })],
    ]);
    const set = new DestinationSet(rulesFor(['slow', 'fast'], [1000], { slow: 2 }), new Map([['log', scriptedKind(scripts, sent)]]), deps());
    await ingest(['slow'], 6);
    await ingest(['fast'], 6);
    start(set, 4);
    await eventually(async () => expect((await store.stats()).delivered).to.equal(6));
    expect(sent.filter((s) => s.startsWith('slow:'))).to.have.length(2, 'only its cap of slow deliveries in flight');
    release();
    await eventually(async () => expect((await store.stats()).delivered).to.equal(12));
  });

  it('gives a slot freed by a slow destination to one with fewer in flight, when the slow ones fill the global cap', async () => {
    // Two receivers that hang (each send ends only when the test lets it) hold every one of the
    // worker's four slots between them; a third destination must still get its turn as slots free.
    const gates: (() => void)[] = [];
    const hang: Script = (_d, signal) =>
      new Promise((resolve) => {
        gates.push(() => resolve({ kind: 'success' }));
        signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'network', error: 'aborted' }));
      });
    const scripts = new Map<string, Script>([
      ['slow1', hang],
      ['slow2', hang],
      ['fast', async () => ({ kind: 'success' })],
    ]);
    const set = new DestinationSet(rulesFor(['slow1', 'slow2', 'fast'], [1000], { slow1: 2, slow2: 2, fast: 2 }), new Map([['log', scriptedKind(scripts, [])]]), deps());
    await ingest(['slow1'], 8);
    await ingest(['slow2'], 8);
    const fast = await ingest(['fast'], 2); // the youngest: last in line by due time
    start(set, 4);
    await eventually(() => expect(gates).to.have.length(4));
    const fastDelivered = async (): Promise<number> => {
      let n = 0;
      for (const id of fast) if ((await store.listDeliveries(id))[0]!.status === 'delivered') n++;
      return n;
    };
    // Two slow sends end, one at a time: each freed slot is the fast destination's turn.
    gates.shift()!();
    await eventually(async () => expect(await fastDelivered()).to.be.at.least(1));
    gates.shift()!();
    await eventually(async () => expect(await fastDelivered()).to.equal(2));
    for (;;) {
      const next = gates.shift();
      if (next) next();
      else if ((await store.stats()).delivered === 18) break;
      else await new Promise((r) => setTimeout(r, 10));
    }
  });

  it('hands back a delivery claimed ahead once it has waited half its lease, even while no slot frees', async () => {
    const scripts = new Map<string, Script>([['a', (_d, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'network', error: 'aborted' })))]]);
    const set = new DestinationSet(rulesFor(['a'], [1000], { a: 1 }), new Map([['log', scriptedKind(scripts, [])]]), deps());
    const [first, second] = await ingest(['a'], 2);
    const w = start(set);
    await eventually(() => expect(w.inFlight).to.equal(1));
    // The first hangs in its send; the second was claimed ahead and waits for the one slot.
    const [waiting] = await eventually(async () => {
      const ds = await store.listDeliveries(second!);
      expect(ds[0]).to.include({ status: 'delivering', attempts: 1 });
      return ds;
    });
    clock.t += 30_001; // half the lease of 60 s
    // Handed back, its attempt not counted, and claimed again (by whichever worker): its lease
    // does not run out while it waits, so no other worker takes it over behind this one's back.
    await eventually(async () => {
      const [d] = await store.listDeliveries(second!);
      expect(d).to.include({ status: 'delivering', attempts: 1 });
      expect(Date.parse(d!.leaseUntil!)).to.be.greaterThan(Date.parse(waiting!.leaseUntil!));
    });
    expect((await store.listDeliveries(first!))[0]).to.include({ status: 'delivering' });
  });

  it('kills a delivery whose destination left the rules', async () => {
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(new Map(), [])]]), deps());
    const [id] = await ingest(['gone']);
    start(set);
    await eventually(async () => {
      const [d] = await store.listDeliveries(id!);
      expect(d!.status).to.equal('dead');
      expect(d!.lastError).to.match(/"gone" is no longer in the rules/);
    });
  });

  it("claims a destination that left the rules two at a time, so its backlog does not crowd the others out of a claim", async () => {
    const sent: string[] = [];
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(new Map([['a', async () => ({ kind: 'success' })]]), sent)]]), deps());
    await ingest(['gone'], 30); // older than a's: first in line
    const [aId] = await ingest(['a']);
    const claims: ClaimedDelivery[][] = [];
    const recording = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'claim') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<Store['claim']>) => {
          const got = await target.claim(...args);
          if (got.length > 0) claims.push(got);
          return got;
        };
      },
    });
    const w = new Worker({ store: recording, destinations: () => set, clock, logger, concurrency: 4, leaseMs: 60_000, idleMs: 20 });
    workers.push(w);
    w.start();
    await eventually(async () => expect(await store.stats()).to.deep.equal({ pending: 0, delivering: 0, delivered: 1, dead: 30 }));
    // Its deliveries are ended one at a time; claimed ahead, at most two of them at once.
    expect(claims.map((c) => c.filter((d) => d.destination === 'gone').length).filter((n) => n > 2)).to.deep.equal([]);
    expect(claims[0]!.map((d) => d.eventId)).to.include(aId);
  });

  it('on stop, lets a send in flight finish within the grace, and aborts it after', async () => {
    const scripts = new Map<string, Script>([
      ['a', (_d, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'network', error: 'aborted' })))],
    ]);
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(scripts, [])]]), deps());
    const [id] = await ingest(['a']);
    const w = start(set);
    await eventually(() => expect(w.inFlight).to.equal(1));
    await w.stop(50);
    const [d] = await store.listDeliveries(id!);
    expect(d!.status).to.equal('pending', 'an aborted send is retried later, not lost');
    // A shutdown is not a failure: no attempt used, no step of the schedule.
    expect(d!.attempts).to.equal(0);
    expect(await store.listAttempts(d!.id)).to.deep.equal([]);
  });

  it('on stop, sends nothing that a claim still in flight brings back, and hands it back untried', async () => {
    const sent: string[] = [];
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(new Map([['a', async () => ({ kind: 'success' })]]), sent)]]), deps());
    const [id] = await ingest(['a']);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let claiming = false;
    // The claim is on its way to the store when the stop comes.
    const slow = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'claim') return async (...args: Parameters<Store['claim']>) => ((claiming = true), await gate, target.claim(...args));
        return Reflect.get(target, prop, receiver);
      },
    });
    const w = new Worker({ store: slow, destinations: () => set, clock, logger, concurrency: 4, leaseMs: 60_000, idleMs: 20 });
    workers.push(w);
    w.start();
    await eventually(() => expect(claiming).to.equal(true));
    const stopping = w.stop(1000);
    release();
    await stopping;
    expect(sent).to.deep.equal([]);
    expect((await store.listDeliveries(id!))[0]).to.include({ status: 'pending', attempts: 0 });
  });

  it('holds many sends in flight without a listener-leak warning on its shutdown signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const set = new DestinationSet(rulesFor(['a'], [1000], { a: 20 }), new Map([['log', scriptedKind(new Map([['a', async () => (await gate, { kind: 'success' })]]), [])]]), deps());
      await ingest(['a'], 15);
      const w = start(set, 20);
      await eventually(() => expect(w.inFlight).to.equal(15));
      release();
      await eventually(async () => expect((await store.stats()).delivered).to.equal(15));
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((m) => /MaxListeners/.test(m))).to.deep.equal([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('renews the lease of a long send, so no other worker takes it over', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scripts = new Map<string, Script>([['a', async () => (await gate, { kind: 'success' })]]);
    const set = new DestinationSet(rulesFor(['a'], [1000]), new Map([['log', scriptedKind(scripts, [])]]), deps());
    const [id] = await ingest(['a']);
    const w = new Worker({ store, destinations: () => set, clock, logger, concurrency: 4, leaseMs: 300, idleMs: 20 });
    workers.push(w);
    w.start();
    await eventually(() => expect(w.inFlight).to.equal(1));
    const first = Date.parse((await store.listDeliveries(id!))[0]!.leaseUntil!);
    clock.t += 250;
    // Renewed from the moved clock within a third of the lease.
    await eventually(async () => expect(Date.parse((await store.listDeliveries(id!))[0]!.leaseUntil!)).to.be.greaterThan(first));
    clock.t += 250;
    await eventually(async () => expect(Date.parse((await store.listDeliveries(id!))[0]!.leaseUntil!)).to.be.greaterThan(clock.t));
    expect(await store.claim({ now: clock.now(), limit: 10, leaseMs: 300 })).to.deep.equal([]);
    release();
    await eventually(async () => expect((await store.listDeliveries(id!))[0]!.status).to.equal('delivered'));
  });

  it('cuts off a send that overruns its backstop, and retries it', async () => {
    let sends = 0;
    const scripts = new Map<string, Script>([
      // Ends only when its signal aborts, as a send to a peer that trickles bytes would not.
      ['a', (_d, signal) => (sends++, new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'network', error: 'aborted' }))))],
    ]);
    const set = new DestinationSet(rulesFor(['a'], [60_000]), new Map([['log', scriptedKind(scripts, [])]]), deps());
    const [id] = await ingest(['a']);
    const w = new Worker({ store, destinations: () => set, clock, logger, concurrency: 4, leaseMs: 60_000, idleMs: 20, maxSendMs: 150 });
    workers.push(w);
    w.start();
    const [d] = await eventually(async () => {
      const ds = await store.listDeliveries(id!);
      // Back to pending after its attempt (not the pending it started as).
      expect(ds[0]).to.include({ status: 'pending', attempts: 1 });
      return ds;
    });
    expect(sends).to.equal(1);
    expect(d!.lastError).to.match(/^the send took longer than 0 s and was cut off/);
    expect((await store.listAttempts(d!.id)).map((a) => a.outcome)).to.deep.equal(['retry']);
  });

  it('wakes for a retry that falls due while other due work is blocked', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let bCalls = 0;
    const scripts = new Map<string, Script>([
      ['a', async () => (await gate, { kind: 'success' })],
      ['b', async () => (++bCalls === 1 ? { kind: 'retry', reason: 'server', error: 'HTTP 503' } : { kind: 'success' })],
    ]);
    const set = new DestinationSet(rulesFor(['a', 'b'], [300]), new Map([['log', scriptedKind(scripts, [])]]), deps());
    await ingest(['a'], 2); // one in flight, one due but blocked behind the cap of 1
    const [bId] = await ingest(['b']);
    const w = new Worker({ store, destinations: () => set, clock: { now: () => new Date() }, logger, concurrency: 4, leaseMs: 60_000, idleMs: 60_000 });
    workers.push(w);
    // Real time here: the test is that the worker sleeps only until the retry is due.
    (set.caps as Map<string, number>).set('a', 1);
    w.start();
    await eventually(() => expect(bCalls).to.equal(1));
    await eventually(async () => expect((await store.listDeliveries(bId!))[0]!.status).to.equal('delivered'), 3000);
    release();
  });

  it('does not poll the store in a loop while due work waits behind a busy destination', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scripts = new Map<string, Script>([['a', async () => (await gate, { kind: 'success' })]]);
    const set = new DestinationSet(rulesFor(['a'], [1000], { a: 1 }), new Map([['log', scriptedKind(scripts, [])]]), deps());
    await ingest(['a'], 3);
    let claims = 0;
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'claim') return (...args: Parameters<Store['claim']>) => (claims++, target.claim(...args));
        return Reflect.get(target, prop, receiver);
      },
    });
    const w = new Worker({ store: counting, destinations: () => set, clock, logger, concurrency: 4, leaseMs: 60_000, idleMs: 200 });
    workers.push(w);
    w.start();
    await eventually(() => expect(w.inFlight).to.equal(1));
    const before = claims;
    await new Promise((r) => setTimeout(r, 500));
    // Two due deliveries wait for the one slot: at most a poll per idleMs, not thousands.
    expect(claims - before).to.be.at.most(4);
    release();
    await eventually(async () => expect((await store.stats()).delivered).to.equal(3));
  });
});
