import { expect } from 'chai';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/errors.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { writerHost } from '../../../src/store/sqlite/writer-host.js';
import type { Worker as Thread } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { at, DAY, makeEvent, planned } from '../../contract/store-fixtures.js';
import { eventually } from '../../support/eventually.js';
import { tempDir } from '../../support/temp-dir.js';

/** The process's writer thread (private to the host): the tests kill it as a crash would. */
const host = writerHost as unknown as { worker: Thread | null };

/** Resolves with what `p` settled to, or 'hung' if it has not settled within `ms`. */
async function settlement(p: Promise<unknown>, ms: number): Promise<'fulfilled' | 'rejected' | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const settled = p.then(
    () => 'fulfilled' as const,
    () => 'rejected' as const,
  );
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Faults of the SQLite writer thread: an op whose error ends the whole transaction, and the
 * thread itself dying. Each promise the store hands out must settle, and what it says must match
 * what is in the file.
 */
describe('SQLite writer faults', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore | null = null;
  let warnings: string[];
  const since = at(-DAY);

  beforeEach(async () => {
    tmp = tempDir();
    warnings = [];
    store = new SqliteStore(join(tmp.dir, 'relay.db'), { logger: { warn: (_o: unknown, msg?: string) => void warnings.push(String(msg)) } });
    await store.migrate();
  });
  afterEach(async () => {
    await store?.close();
    tmp.cleanup();
  });

  it('fails only the op whose error rolled back the whole transaction; the rest of its batch commits and the writer lives on', async () => {
    // SQLite ends a transaction on its own after some errors (a full disk or an I/O error while
    // writing pages, out of memory); RAISE(ROLLBACK) in a trigger is one that can be provoked.
    const other = new Database(join(tmp.dir, 'relay.db'));
    other.exec("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.app_id = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END");
    other.close();
    const s = store!;
    const good = [makeEvent(), makeEvent(), makeEvent()];
    // Submitted in one turn of the event loop: one batch, one transaction.
    const results = await Promise.allSettled([
      s.ingest(good[0]!, [planned('a')], { dedupeSince: since }),
      s.ingest(makeEvent({ appId: 'poison' }), [planned('a')], { dedupeSince: since }),
      s.ingest(good[1]!, [planned('a', { orderKey: 'k' })], { dedupeSince: since }),
      s.setState('thread', '1.2'),
      s.ingest(good[2]!, [planned('a', { orderKey: 'k' })], { dedupeSince: since }),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).to.match(/poisoned/);
    for (const e of good) expect(await s.getEvent(e.id), e.id).to.not.equal(null);
    expect(await s.getState('thread')).to.equal('1.2');
    expect(await s.stats()).to.deep.equal({ pending: 3, delivering: 0, delivered: 0, dead: 0 });
    // One head for the key, as if the poisoned event had never come.
    expect((await s.claim({ now: at(0), limit: 10, leaseMs: 1000 })).map((c) => c.eventId).sort()).to.deep.equal([good[0]!.id, good[1]!.id].sort());
    expect(warnings.filter((w) => /writer thread stopped/.test(w))).to.deep.equal([]);
  });

  it("answers an ingest once its durable commit is on disk, without waiting for the bookkeeping's transaction of the same round", async () => {
    // A claim made slow (a trigger that counts to three million when it marks a delivery
    // delivering) in the same batch as an ingest: the ingest's 200 must not wait for it.
    const other = new Database(join(tmp.dir, 'relay.db'));
    other.exec(`CREATE TRIGGER slow AFTER UPDATE OF status ON deliveries WHEN NEW.status = 'delivering' BEGIN
      SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);
    END`);
    other.close();
    const s = store!;
    await s.ingest(makeEvent(), [planned('a')], { dedupeSince: since });
    const e = makeEvent();
    // Submitted in one turn of the event loop: one batch, the ingest in its FULL transaction, the claim in the NORMAL one.
    const ingested = s.ingest(e, [planned('a')], { dedupeSince: since });
    const claimed = s.claim({ now: at(0), limit: 10, leaseMs: 60_000 });
    expect((await ingested).eventId).to.equal(e.id);
    expect(await settlement(claimed, 0), 'the claim is still being written').to.equal('hung');
    expect((await claimed).length).to.equal(2);
  });

  it('gives up on a batch whose transaction keeps being rolled back, in a bounded number of passes, and lives on', async () => {
    const other = new Database(join(tmp.dir, 'relay.db'));
    other.exec("CREATE TRIGGER poison BEFORE INSERT ON events BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END");
    other.close();
    const s = store!;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.ingest(makeEvent(), [planned('a')], { dedupeSince: since })));
    expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill('rejected'));
    // The first ones fail with their own error; the rest were not tried again, and say the store could not take them.
    const reasons = results.map((r) => (r as PromiseRejectedResult).reason);
    expect(String(reasons[0])).to.match(/poisoned/);
    expect(reasons.at(-1)).to.be.instanceOf(StoreUnavailableError);
    expect(await s.stats()).to.deep.equal({ pending: 0, delivering: 0, delivered: 0, dead: 0 });
    expect(warnings.filter((w) => /writer thread stopped/.test(w))).to.deep.equal([]);
    // The writer still answers.
    await s.setState('k', 'v');
    expect(await s.getState('k')).to.equal('v');
  });

  it('answers a write made while the thread is down even if the next thread dies too before it reopens the database', async () => {
    const s = store!;
    await s.setState('k', 'before');
    const first = host.worker!;
    await first.terminate();
    // Waits for a new thread to open the database.
    const write = s.setState('k', 'after');
    // The next thread is started after a short backoff; it dies before it has opened anything.
    const second = await eventually(() => {
      const w = host.worker;
      if (!w || w === first) throw new Error('no new thread yet');
      return w;
    }, 5000, 1);
    await second.terminate();
    expect(await settlement(write, 5000)).to.equal('fulfilled');
    expect(await s.getState('k')).to.equal('after');
  });

  it('keeps the process alive while a write waits for the thread to be started again', () => {
    // A CLI command (replay, purge) has nothing else keeping its event loop alive: if the restart
    // timer does not hold it, the process exits with the write unanswered.
    const store = fileURLToPath(new URL('../../../src/store/sqlite/sqlite-store.ts', import.meta.url));
    const writer = fileURLToPath(new URL('../../../src/store/sqlite/writer-host.ts', import.meta.url));
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(store)});
      const { writerHost } = await import(${JSON.stringify(writer)});
      const s = new SqliteStore(${JSON.stringify(join(tmp.dir, 'child.db'))}, { logger: { warn() {} } });
      await s.migrate();
      await writerHost.worker.terminate();
      await s.setState('k', 'v');
      console.log('written', await s.getState('k'));
      await s.close();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim(), child.stderr).to.equal('written v');
    expect(child.status).to.equal(0);
  });
});
