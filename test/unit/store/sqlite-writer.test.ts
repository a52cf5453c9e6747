import { expect } from 'chai';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/errors.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { at, DAY, makeEvent, planned } from '../../contract/store-fixtures.js';
import { tempDir } from '../../support/temp-dir.js';

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
});
