import { expect } from 'chai';
import pg from 'pg';
import { StoreUnavailableError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open-store.js';
import { loadMigrations, migrate } from '../../../src/store/postgres/migrate.js';
import { PostgresStore, type PostgresStoreOptions } from '../../../src/store/postgres/postgres-store.js';
import { storeContract } from '../../contract/store.contract.js';
import { at, attemptOf, DAY, makeEvent, planned, rejectionOf } from '../../contract/store-fixtures.js';
import { eventually } from '../../support/eventually.js';
import { sessionTouch } from '../../../src/sessions/session-touch.js';
import { formatSessionKey } from '../../../src/sessions/session-key.js';
import type { RelayEvent } from '../../../src/domain/event.js';
import { expectation, idOf, sessionEvent } from '../../contract/session-fixtures.js';
import { pgSchema, type PgSchema } from '../../support/pg-schema.js';

storeContract('postgres', async ({ clock }) => {
  const db = pgSchema();
  const store = new PostgresStore(db.url, { schema: db.schema, max: 4, clock });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgresStore', () => {
  let db: PgSchema;
  const open: PostgresStore[] = [];
  /** One store is one relay replica: its own pool on the shared schema. */
  const replica = async (opts: PostgresStoreOptions = {}): Promise<PostgresStore> => {
    const s = new PostgresStore(db.url, { schema: db.schema, max: 4, ...opts });
    open.push(s);
    await s.migrate();
    return s;
  };
  const since = at(-DAY);

  beforeEach(() => {
    db = pgSchema();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await db.drop();
  });

  describe('several replicas', () => {
    it('never hand one delivery to two replicas claiming at once, and together take all', async () => {
      const [a, b] = [await replica(), await replica()];
      const ds = Array.from({ length: 200 }, (_, i) => planned(`dest-${i % 5}`));
      for (let i = 0; i < ds.length; i += 20) await a.ingest(makeEvent(), ds.slice(i, i + 20), { dedupeSince: since });

      const drain = async (s: PostgresStore): Promise<string[]> => {
        const got: string[] = [];
        for (;;) {
          const batch = await s.claim({ now: at(0), limit: 7, leaseMs: 60_000 });
          if (batch.length === 0) return got;
          got.push(...batch.map((c) => c.id));
        }
      };
      const [a1, b1, a2, b2] = await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
      const fromA = [...a1!, ...a2!];
      const fromB = [...b1!, ...b2!];
      const all = [...fromA, ...fromB];
      expect(new Set(all).size).to.equal(all.length);
      expect([...all].sort()).to.deep.equal(ds.map((d) => d.id).sort());
      expect(fromA.length).to.be.greaterThan(0);
      expect(fromB.length).to.be.greaterThan(0);
      expect(await a.stats()).to.deep.equal({ pending: 0, delivering: 200, delivered: 0, dead: 0 });
    });

    it('keep one delivery per order key in flight across replicas, in order', async () => {
      const [a, b] = [await replica(), await replica()];
      const keys = ['t1', 't2', 't3'];
      const ds = Array.from({ length: 45 }, (_, i) => planned('slack', { orderKey: keys[i % keys.length]! }));
      for (const d of ds) await a.ingest(makeEvent(), [d], { dedupeSince: since });

      const held = new Map<string, string>();
      const sent: string[] = [];
      const work = async (s: PostgresStore): Promise<void> => {
        for (let idle = 0; idle < 50 && sent.length < ds.length; ) {
          const batch = await s.claim({ now: at(0), limit: 5, leaseMs: 60_000 });
          if (batch.length === 0) idle += 1;
          for (const c of batch) {
            expect(held.get(c.orderKey!), `two of ${c.orderKey} in flight`).to.equal(undefined);
            held.set(c.orderKey!, c.id);
          }
          for (const c of batch) {
            // Released before the commit that lets the next of the key go.
            held.delete(c.orderKey!);
            sent.push(c.id);
            await s.succeed(c.id, attemptOf('success', { attempt: c.attempts }));
          }
        }
      };
      await Promise.all([work(a), work(b)]);
      expect(sent).to.have.length(ds.length);
      for (const k of keys) {
        const order = ds.filter((d) => d.orderKey === k).map((d) => d.id);
        expect(sent.filter((id) => order.includes(id))).to.deep.equal(order);
      }
    });

    it("keep one head per order key while replicas ingest behind it and finish it at the same moments", async () => {
      const [a, b, c] = [await replica(), await replica(), await replica()];
      const key = 'thread-1';
      const ingested: string[] = [];
      const add = async (s: PostgresStore): Promise<void> => {
        const d = planned('slack', { orderKey: key });
        await s.ingest(makeEvent(), [d], { dedupeSince: since });
        ingested.push(d.id);
      };
      const sent: string[] = [];
      await add(a);
      for (let round = 0; round < 25; round++) {
        // The head finishes on one replica while two others add deliveries behind it.
        const [head] = await c.claim({ now: at(0), limit: 5, leaseMs: 60_000 });
        const finishing = head ? c.succeed(head.id, attemptOf('success', { attempt: head.attempts, claim: head.claim })).then(() => sent.push(head.id)) : Promise.resolve();
        await Promise.all([finishing, add(a), add(b)]);
        const heads = await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE order_key = $1 AND due_at IS NOT NULL", [key]);
        expect(heads[0]!.n, `round ${round}`).to.equal(1);
      }
      for (;;) {
        const [head] = await a.claim({ now: at(0), limit: 5, leaseMs: 60_000 });
        if (!head) break;
        await a.succeed(head.id, attemptOf('success', { attempt: head.attempts, claim: head.claim }));
        sent.push(head.id);
      }
      // Everything was sent once, in the order it was stored (seq), and the key, with nothing
      // open, is forgotten.
      const bySeq = (await db.sql<{ id: string }>('SELECT id FROM deliveries WHERE order_key = $1 ORDER BY seq', [key])).map((r) => r.id);
      expect(sent).to.deep.equal(bySeq);
      expect([...sent].sort()).to.deep.equal([...ingested].sort());
      expect(await db.sql('SELECT open FROM order_queues WHERE order_key = $1', [key])).to.deep.equal([]);
    });

    it("take lease and due times from the database's clock, so a replica whose clock runs ahead takes over no live claim", async () => {
      // No clock given: production mode. Each replica's own notion of "now" is ignored.
      const [a, b] = [await replica(), await replica()];
      const d = planned('x');
      // An event stamped by a relay whose clock is an hour ahead is still due now.
      await a.ingest(makeEvent({ receivedAt: new Date(Date.now() + 3600_000).toISOString() }), [d], { dedupeSince: since });
      const [mine] = await a.claim({ now: new Date(), limit: 5, leaseMs: 60_000 });
      expect(mine?.id).to.equal(d.id);
      expect(await b.claim({ now: new Date(Date.now() + 10 * 60_000), limit: 5, leaseMs: 60_000 })).to.deep.equal([]);
      // A retry "in 1 s" by the worker's clock is 1 s after the database's now, whatever the worker's clock says.
      await a.retryLater(d.id, new Date(Date.now() + 1000), attemptOf('retry', { attempt: mine!.attempts, claim: mine!.claim }));
      const [row] = await db.sql<{ ahead: number }>('SELECT (extract(epoch FROM due_at - now()) * 1000)::float8 AS ahead FROM deliveries WHERE id = $1', [d.id]);
      expect(row!.ahead).to.be.within(0, 1500);
      await eventually(async () => expect((await b.claim({ now: new Date(0), limit: 5, leaseMs: 60_000 })).map((x) => x.id)).to.deep.equal([d.id]), 5000);
    });

    it('store one event when two replicas receive the same body at the same moment', async () => {
      const [a, b] = [await replica(), await replica()];
      for (let i = 0; i < 20; i++) {
        const first = makeEvent();
        const same = makeEvent({ dedupeKey: first.dedupeKey });
        const rs = await Promise.all([a.ingest(first, [planned('x')], { dedupeSince: since }), b.ingest(same, [planned('x')], { dedupeSince: since })]);
        expect(rs.filter((r) => r.duplicate), `round ${i}`).to.have.length(1);
        expect(rs[0]!.eventId).to.equal(rs[1]!.eventId);
      }
      expect(await a.stats()).to.deep.equal({ pending: 20, delivering: 0, delivered: 0, dead: 0 });
    });

    it("never purge an event whose delivery a replica's replay reopened meanwhile, nor leave its order key without a head", async () => {
      const [a, b] = [await replica({ clock: { now: () => at(10 * DAY) } }), await replica({ clock: { now: () => at(10 * DAY) } })];
      const key = 'thread-1';
      // An old event delivered (a purge candidate), and a younger one of the same thread in flight.
      const old = makeEvent({ receivedAt: new Date(at(0)).toISOString() });
      const replayed = planned('slack', { orderKey: key });
      await a.ingest(old, [replayed], { dedupeSince: since });
      const [c1] = await a.claim({ now: at(0), limit: 5, leaseMs: 1000 });
      await a.succeed(c1!.id, attemptOf('success', { attempt: c1!.attempts, claim: c1!.claim }));
      const head = planned('slack', { orderKey: key });
      await a.ingest(makeEvent({ receivedAt: new Date(at(2 * DAY)).toISOString() }), [head], { dedupeSince: since });
      const [h] = await a.claim({ now: at(2 * DAY), limit: 5, leaseMs: 60_000 });
      expect(h?.id).to.equal(head.id);

      // The purge has judged the old event finished and waits (a session holds the event's row)
      // while a replay on another replica reopens its delivery.
      const holder = new pg.Client({ connectionString: db.url, options: `-c search_path=${db.schema}` });
      await holder.connect();
      let purged: number | null = null;
      let replayedN: number | null = null;
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [old.id]);
        const purging = a.purge({ before: at(DAY) }).then((n) => (purged = n));
        const waiting = async (n: number): Promise<void> =>
          void expect((await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1", [`enx-relay:${db.schema}`]))[0]!.n).to.be.at.least(n);
        await eventually(() => waiting(1));
        const replaying = b.replay({ eventId: old.id, now: at(3 * DAY) }).then((n) => (replayedN = n));
        // The replay either commits at once or waits for the purge; either way the purge goes on next.
        await eventually(async () => {
          if (replayedN === null) await waiting(2);
        });
        await holder.query('COMMIT');
        await Promise.all([purging, replaying]);
      } finally {
        await holder.end();
      }
      // What the replay answered is what happened: reopened and kept, or found gone.
      const rows = await db.sql<{ id: string; status: string }>('SELECT id, status FROM deliveries WHERE id = $1', [replayed.id]);
      if (replayedN === 1) {
        expect(purged).to.equal(0);
        expect(rows).to.deep.equal([{ id: replayed.id, status: 'pending' }]);
      } else {
        expect([replayedN, purged]).to.deep.equal([0, 1]);
        expect(rows).to.deep.equal([]);
      }
      // The key's count matches its open deliveries, and the thread goes on: the head finishes,
      // and whatever comes next (the replayed one, then a new one) is claimed in turn.
      const open = async (): Promise<number> => (await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE order_key = $1 AND status IN ('pending', 'delivering')", [key]))[0]!.n;
      expect(await db.sql('SELECT open FROM order_queues WHERE order_key = $1', [key])).to.deep.equal([{ open: await open() }]);
      expect(await open()).to.be.greaterThan(0);
      await a.succeed(h!.id, attemptOf('success', { attempt: h!.attempts, claim: h!.claim }));
      const next = planned('slack', { orderKey: key });
      await a.ingest(makeEvent({ receivedAt: new Date(at(3 * DAY)).toISOString() }), [next], { dedupeSince: since });
      const sent: string[] = [];
      for (let i = 0; i < 3; i++) {
        for (const c of await a.claim({ now: at(4 * DAY), limit: 5, leaseMs: 1000 })) {
          sent.push(c.id);
          await a.succeed(c.id, attemptOf('success', { attempt: c.attempts, claim: c.claim }));
        }
      }
      expect(sent).to.deep.equal(replayedN === 1 ? [replayed.id, next.id] : [next.id]);
      expect(await open()).to.equal(0);
      expect(await db.sql('SELECT open FROM order_queues WHERE order_key = $1', [key])).to.deep.equal([]);
    });

    it('migrate at the same moment without harm', async () => {
      const stores = [new PostgresStore(db.url, { schema: db.schema }), new PostgresStore(db.url, { schema: db.schema })];
      open.push(...stores);
      await Promise.all(stores.map((s) => s.migrate()));
      const rows = await db.sql<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.name)).to.deep.equal(loadMigrations().map((m) => m.name));
    });
  });

  describe('wake-ups (LISTEN/NOTIFY)', () => {
    /** Counts onWork calls; `next()` resolves at the next one. */
    const counter = () => {
      let calls = 0;
      let waiters: (() => void)[] = [];
      return {
        get calls() {
          return calls;
        },
        onWork: () => {
          calls += 1;
          for (const w of waiters.splice(0)) w();
        },
        next: () => new Promise<void>((r) => waiters.push(r)),
      };
    };

    it("wakes another replica's subscriber after an ingest or a replay commits, not for other schemas", async () => {
      const [a, b] = [await replica(), await replica()];
      const other = pgSchema();
      const elsewhere = new PostgresStore(other.url, { schema: other.schema });
      try {
        await elsewhere.migrate();
        const c = counter();
        let listening = c.next();
        const stop = b.subscribe(c.onWork);
        await listening; // called once as it starts listening: work may have come before
        expect(c.calls).to.equal(1);

        // Notifications reach a listener in commit order: by the time ours arrives, the other
        // schema's would have been counted.
        await elsewhere.ingest(makeEvent(), [planned('x')], { dedupeSince: since });
        let woken = c.next();
        const e = makeEvent();
        await a.ingest(e, [planned('x')], { dedupeSince: since });
        await woken;
        expect(c.calls).to.equal(2);

        const [d] = await a.claim({ now: at(0), limit: 1, leaseMs: 1000 });
        await a.kill(d!.id, 'gone', attemptOf('permanent', { attempt: 1 }));
        woken = c.next();
        expect(await a.replay({ eventId: e.id, now: at(10) })).to.equal(1);
        await woken;
        expect(c.calls).to.equal(3);
        stop();
      } finally {
        await elsewhere.close();
        await other.drop();
      }
    });

    it('listens again after the server drops its connection', async () => {
      const [a, b] = [await replica(), await replica({ listenBackoffMs: 10 })];
      const c = counter();
      let woken = c.next();
      b.subscribe(c.onWork);
      await woken;
      woken = c.next();
      const killed = await db.sql<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'",
        [`enx-relay:${db.schema}`],
      );
      expect(killed).to.deep.equal([{ ok: true }]);
      await woken; // listening again: it wakes once, for what it may have missed
      woken = c.next();
      await a.ingest(makeEvent(), [planned('x')], { dedupeSince: since });
      await woken;
      expect(c.calls).to.equal(3);
    });
  });

  describe('failures', () => {
    it('answers StoreUnavailableError at once when the server cannot be reached', async () => {
      const s = new PostgresStore('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMillis: 2000 });
      open.push(s);
      for (const call of [() => s.ping(), () => s.ingest(makeEvent(), [planned('a')], { dedupeSince: since }), () => s.migrate()]) {
        const err = await rejectionOf(call());
        expect(err).to.be.instanceOf(StoreUnavailableError);
        expect(err).to.have.property('httpStatus', 503);
        expect((err as Error).message).to.match(/ECONNREFUSED/);
      }
    });

    it('fails a query cut off by the server as unavailable, then recovers', async () => {
      const s = await replica();
      await s.ingest(makeEvent(), [planned('a')], { dedupeSince: since });
      // Another session holds the deliveries table, so the claim below waits inside the server.
      const holder = new pg.Client({ connectionString: db.url, options: `-c search_path=${db.schema}` });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE');
        const claiming = rejectionOf(s.claim({ now: at(0), limit: 10, leaseMs: 1000 }));
        await eventually(async () => expect(await db.sql("SELECT 1 FROM pg_stat_activity WHERE wait_event = 'relation' AND application_name = $1", [`enx-relay:${db.schema}`])).to.have.length(1));
        await db.sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`enx-relay:${db.schema}`]);
        const err = await claiming;
        expect(err).to.be.instanceOf(StoreUnavailableError);
        expect((err as Error).message).to.match(/57P01|terminat/);
      } finally {
        await holder.end();
      }
      await eventually(() => s.ping());
      expect((await s.claim({ now: at(0), limit: 10, leaseMs: 1000 })).map((c) => c.destination)).to.deep.equal(['a']);
    });

    it('keeps constraint errors as they are', async () => {
      const s = await replica();
      const d = planned('a');
      await s.ingest(makeEvent(), [d], { dedupeSince: since });
      const err = await rejectionOf(s.ingest(makeEvent(), [{ ...d }], { dedupeSince: since }));
      expect(err).to.not.be.instanceOf(StoreUnavailableError);
      expect(err).to.have.property('code', '23505');
    });
  });

  it('stores text with NUL characters (replaced in text columns, exact in the body and raw bytes)', async () => {
    const s = await replica();
    const body = { type: 'recording', app_id: 'a\u0000b', room_id: 'r', conf_num: 'c', note: '\u0000\ud800' };
    const raw = Buffer.from(JSON.stringify(body));
    const e = makeEvent({ appId: 'a\u0000b', body, raw, dedupeKey: 'k\u0000' });
    await s.ingest(e, [planned('a', { orderKey: 'a\u0000b/r/c' })], { dedupeSince: since });
    const back = (await s.getEvent(e.id))!;
    expect(back.appId).to.equal('a\uFFFDb');
    expect(back.body).to.deep.equal(body);
    expect(Buffer.compare(back.raw, raw)).to.equal(0);
    expect((await s.ingest(makeEvent({ dedupeKey: 'k\u0000' }), [], { dedupeSince: since })).duplicate).to.equal(true);
  });

  it('applies each migration once and rolls back one that fails', async () => {
    const s = await replica();
    const pool = new pg.Pool({ connectionString: db.url, options: `-c search_path=${db.schema}` });
    try {
      expect(await migrate(pool, loadMigrations(), db.schema)).to.deep.equal([]);
      await s.migrate();
      const bad = [{ version: 999, name: '999_bad.sql', sql: 'CREATE TABLE t (x int); CREATE TABLE t (y int);' }];
      expect(await rejectionOf(migrate(pool, bad, db.schema))).to.have.property('code', '42P07');
      expect(await db.sql("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 't'", [db.schema])).to.deep.equal([]);
      expect(await db.sql('SELECT count(*)::int AS n FROM schema_migrations')).to.deep.equal([{ n: loadMigrations().length }]);
    } finally {
      await pool.end();
    }
  });

  describe('a deadlock', () => {
    it('an ingest that a deadlock rolled back is run again: the event is stored, not refused with 503', async function () {
      this.timeout(20_000);
      const s = await replica();
      const within = expectation('recording after the end', 'roomdrop', 'recording', 3_600_000);
      const put = (e: RelayEvent): Promise<unknown> => s.ingest(e, [], { dedupeSince: since, session: sessionTouch(e, [within]) ?? undefined });
      await put(sessionEvent({ type: 'roomdrop' }, at(0), idOf('drop')));
      const key = formatSessionKey({ appId: 'app-1', roomId: 'room-1', confNum: 'conf-1' });
      // The watchdog's mark locks the watch row, then the session row; the ingest of the awaited
      // recording locks the session row, then the watch row: a deadlock whose victim is the
      // ingest, which waited first (deadlock_timeout runs from the start of each wait).
      const other = new pg.Client({ connectionString: db.url, options: `-c search_path=${db.schema}` });
      await other.connect();
      try {
        const otherPid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await other.query('BEGIN');
        await other.query('UPDATE session_watches SET updated_at = now() WHERE session_key = $1', [key]);
        const ingested = put(sessionEvent({ type: 'recording', recording: 'https://p.example/rec/a.mp4' }, at(60_000), idOf('rec')));
        await eventually(async () => {
          const blocked = await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))', [otherPid]);
          expect(blocked[0]!.n, 'the ingest waits for the watch row').to.equal(1);
        });
        await other.query('UPDATE sessions SET overdue = overdue WHERE session_key = $1', [key]);
        await other.query('ROLLBACK');
        await ingested;
      } finally {
        await other.end();
      }
      const r = await s.getSession(key);
      expect(r!.recordings.map((f) => f.name)).to.deep.equal(['a.mp4']);
      expect(r!.watches.map((w) => [w.name, w.state])).to.deep.equal([['recording after the end', 'met']]);
    });
  });

  describe('openStore', () => {
    it('opens postgres://...?schema=, creating the schema and migrating', async () => {
      const store = await openStore({ engine: 'postgres', url: `${db.url}?schema=${db.schema}` });
      try {
        expect(store.engine).to.equal('postgres');
        const e = makeEvent();
        expect((await store.ingest(e, [planned('a')], { dedupeSince: since })).eventId).to.equal(e.id);
        expect(await db.sql('SELECT id FROM events')).to.deep.equal([{ id: e.id }]);
      } finally {
        await store.close();
      }
    });

    it('answers StoreUnavailableError when the server is down', async () => {
      const err = await rejectionOf(openStore({ engine: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' }));
      expect(err).to.be.instanceOf(StoreUnavailableError);
    });
  });
});
