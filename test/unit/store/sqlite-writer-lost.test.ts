import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../../../src/errors.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { writerHost } from '../../../src/store/sqlite/writer-host.js';
import { at, DAY, makeEvent, planned } from '../../contract/store-fixtures.js';
import { eventually } from '../../support/eventually.js';

/** The process's SQLite writer thread, as the host holds it (no hook in the relay: the test reaches in). */
const writerThread = (): Worker => {
  const w = (writerHost as unknown as { worker: Worker | null }).worker;
  if (!w) throw new Error('no writer thread running');
  return w;
};

/**
 * The writer thread dies mid-stream (terminated here; in life an abort in the native binding or
 * an out-of-memory thread): what was in flight fails with a 503, a new thread takes over by
 * itself, and no event is left half written.
 */
describe('SQLite writer thread lost mid-stream', function () {
  this.timeout(30_000);
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'enx-relay-writer-'));
    store = new SqliteStore(join(dir, 'relay.db'));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails what was in flight with StoreUnavailableError, restarts by itself, and stores every event whole or not at all', async () => {
    const outcomes: Promise<{ id: string; ok: boolean; err?: unknown }>[] = [];
    const ingest = (): void => {
      const e = makeEvent();
      outcomes.push(store.ingest(e, [planned('a'), planned('b')], { dedupeSince: at(-DAY) }).then(() => ({ id: e.id, ok: true }), (err: unknown) => ({ id: e.id, ok: false, err })));
    };
    for (let i = 0; i < 100; i++) {
      ingest();
      if (i === 50) await writerThread().terminate();
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const first = await Promise.all(outcomes);
    const failed = first.filter((o) => !o.ok);
    expect(failed.length, 'ingests in flight when the thread died fail').to.be.greaterThan(0);
    for (const f of failed) expect(f.err).to.be.instanceOf(StoreUnavailableError);

    // A new thread reopens the database: ingests succeed again without anyone restarting anything.
    await eventually(async () => {
      const e = makeEvent();
      await store.ingest(e, [planned('a'), planned('b')], { dedupeSince: at(-DAY) });
    }, 10_000, 50);

    const db = new Database(join(dir, 'relay.db'), { readonly: true });
    try {
      const deliveriesOf = db.prepare('SELECT count(*) AS n FROM deliveries WHERE event_id = ?');
      const eventOf = db.prepare('SELECT 1 FROM events WHERE id = ?');
      for (const o of first) {
        const n = (deliveriesOf.get(o.id) as { n: number }).n;
        const stored = eventOf.get(o.id) !== undefined;
        if (o.ok) expect([stored, n], `answered ok: ${o.id}`).to.deep.equal([true, 2]);
        // Committed or not, a failed ingest is never half there: the event with both deliveries, or nothing.
        else expect(n, `failed: ${o.id}`).to.equal(stored ? 2 : 0);
      }
    } finally {
      db.close();
    }
  });
});
