import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open-store.js';
import { loadMigrations, migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { storeContract } from '../../contract/store.contract.js';
import { at, DAY, makeEvent, NON_UTF8, planned, rejectionOf } from '../../contract/store-fixtures.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'enx-relay-store-'));

storeContract('sqlite', async ({ clock }) => {
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'relay.db'), { clock });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore', () => {
  let dir: string;
  const open: SqliteStore[] = [];
  const storeAt = async (file: string, opts = {}): Promise<SqliteStore> => {
    const s = new SqliteStore(join(dir, file), opts);
    open.push(s);
    await s.migrate();
    return s;
  };

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    const s = await storeAt('relay.db');
    expect(s.pragma('journal_mode')).to.equal('wal');
    expect(s.pragma('synchronous')).to.equal(2); // FULL
    expect(s.pragma('foreign_keys')).to.equal(1);
    expect(s.pragma('busy_timeout')).to.equal(5000);
    // WAL is a property of the file: another connection sees it too.
    const other = new Database(join(dir, 'relay.db'), { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).to.equal('wal');
    other.close();
  });

  it('applies each migration once, across reopen', async () => {
    const files = loadMigrations();
    expect(files.map((m) => m.name)[0]).to.equal('001_init.sql');
    const db = new Database(join(dir, 'm.db'));
    expect(migrate(db, files)).to.deep.equal(files.map((m) => m.name));
    expect(migrate(db, files)).to.deep.equal([]);
    db.close();
    const again = new Database(join(dir, 'm.db'));
    expect(migrate(again, files)).to.deep.equal([]);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).to.deep.equal({ n: files.length });
    again.close();
  });

  it('rolls back a migration that fails, leaving it unrecorded', () => {
    const db = new Database(join(dir, 'bad.db'));
    const bad = [{ version: 1, name: '001_bad.sql', sql: 'CREATE TABLE t (x INTEGER); CREATE TABLE t (y INTEGER);' }];
    expect(() => migrate(db, bad)).to.throw(/already exists/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).to.deep.equal({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).to.deep.equal({ n: 0 });
    db.close();
  });

  it('keeps the data across reopen', async () => {
    const s = await storeAt('relay.db');
    const e = makeEvent({ raw: NON_UTF8 });
    const d = planned('a');
    await s.ingest(e, [d], { dedupeSince: at(-DAY) });
    await s.close();
    const reopened = await storeAt('relay.db');
    expect(await reopened.getEvent(e.id)).to.deep.equal(e);
    expect((await reopened.listDeliveries(e.id)).map((x) => x.id)).to.deep.equal([d.id]);
  });

  it('answers StoreUnavailableError while another process holds the write lock, and works once it lets go', async () => {
    const s = await storeAt('relay.db', { busyTimeoutMs: 20 });
    const other = new Database(join(dir, 'relay.db'));
    other.exec('BEGIN IMMEDIATE');
    const err = await rejectionOf(s.ingest(makeEvent(), [planned('a')], { dedupeSince: at(-DAY) }));
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect((err as Error).message).to.match(/SQLITE_BUSY/);
    other.exec('ROLLBACK');
    other.close();
    expect((await s.ingest(makeEvent(), [planned('a')], { dedupeSince: at(-DAY) })).duplicate).to.equal(false);
  });

  it('writes one transaction per ingest when group commit is off', async () => {
    const s = await storeAt('single.db', { groupCommit: false });
    const events = Array.from({ length: 20 }, () => makeEvent());
    await Promise.all(events.map((e) => s.ingest(e, [planned('a')], { dedupeSince: at(-DAY) })));
    expect((await s.stats()).pending).to.equal(20);
  });
});

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the missing directory, opens and migrates', async () => {
    const store = await openStore({ engine: 'sqlite', path: join(dir, 'a', 'b', 'relay.db') });
    expect(store.engine).to.equal('sqlite');
    const e = makeEvent();
    expect((await store.ingest(e, [planned('a')], { dedupeSince: at(-DAY) })).eventId).to.equal(e.id);
    await store.close();
  });

  it('tells which migrations it applied: all on a new file, none on the next open', async () => {
    const path = join(dir, 'relay.db');
    const seen: string[][] = [];
    await (await openStore({ engine: 'sqlite', path }, { migrated: (names) => seen.push(names) })).close();
    await (await openStore({ engine: 'sqlite', path }, { migrated: (names) => seen.push(names) })).close();
    expect(seen[0]).to.include('001_init.sql');
    expect(seen[0]!.length).to.be.at.least(3);
    expect(seen[1]).to.deep.equal([]);
  });
});
