import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { EventStream } from '../support/event-stream.js';
import { pgSchema } from '../support/pg-schema.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { postgresStreamStore, sqliteStreamStore, type StreamStore } from '../support/stream-store.js';
import { expectSound, settle, sinkRules } from '../support/stream-verdict.js';
import { recordRow } from './support/fault-table.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.js';

const DISK = 16 * 1024 * 1024;
/** Posts while the disk is full, and then this many 200s in a row is recovered. */
const WHILE_FULL = 150;
const STREAK = 20;

/** What a store on a full disk must do, whatever the engine: 503, nothing half, back by itself. */
async function fillAndFree(engine: string, relay: ChildRelay, disk: Tmpfs, store: StreamStore, receiver: ScriptedReceiver): Promise<void> {
  const started = Date.now();
  const prefix = `full-${engine}`;
  const stream = new EventStream(prefix);
  await stream.run(() => relay.url, { count: 20, everyMs: 5 });
  expect(stream.acked.size, 'before the disk fills, every event is taken').to.equal(20);

  const ballast = disk.fill();
  const from = stream.sent.length;
  await stream.run(() => relay.url, { count: WHILE_FULL, everyMs: 10 });
  const during = stream.sent.slice(from).map((c) => String(stream.outcomes.get(c)));

  disk.free();
  const freedAt = Date.now();
  let streak = 0;
  let backAt = 0;
  while (streak < STREAK && Date.now() - freedAt < 30_000) {
    if ((await stream.post(relay.url)) === 200) {
      if (streak++ === 0) backAt = Date.now();
    } else streak = 0;
    await new Promise((x) => setTimeout(x, 10));
  }
  expect(relay.proc.exitCode ?? relay.proc.signalCode, `the relay stopped:\n${relay.output.slice(-30).join('\n')}`).to.equal(null);
  const v = await settle(stream, receiver.requests, store, prefix, 60_000);
  const full = during.filter((o) => o === '503').length;
  recordRow('store full', engine, stream, v, started, `${(ballast / 1048576).toFixed(1)} MiB ballast filled the ${DISK / 1048576} MiB disk; 503 x${full} of ${during.length} meanwhile; 200 again ${((backAt - freedAt) / 1000).toFixed(1)} s after it was freed`);

  expect(full, 'the full disk was felt: some posts got 503').to.be.greaterThan(0);
  expect([...stream.tally.keys()].filter((k) => k !== '200' && k !== '503'), 'no other answer, no hang').to.deep.equal([]);
  expect(streak, `${STREAK} answers of 200 in a row within 30 s of the space returning`).to.equal(STREAK);
  expect((await fetch(`${relay.url}/readyz`)).status).to.equal(200);
  expectSound(v);
}

/** Steps that undo a case, each run whatever the others did. */
async function undo(steps: (() => unknown)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      console.warn(`      cleanup: ${String(err)}`);
    }
  }
}

describe('fault: the store full', function () {
  this.timeout(180_000);
  let receiver: ScriptedReceiver;
  before(async () => {
    receiver = await startScriptedReceiver();
  });
  after(() => receiver.close());

  describe('SQLite on a full filesystem', () => {
    let dir: string;
    let disk: Tmpfs | null = null;
    let relay: ChildRelay | null = null;
    after(() => undo([() => relay?.kill('SIGKILL'), () => disk?.unmount(), () => rmSync(dir, { recursive: true, force: true })]));

    it('answers 503 while the disk is full, writes nothing half, and takes events again once there is room', async () => {
      dir = mkdtempSync(join(tmpdir(), 'enx-faults-'));
      disk = mountTmpfs(join(dir, 'disk'), DISK);
      const store = sqliteStreamStore(disk.dir);
      const rules = join(dir, 'rules.yaml');
      writeFileSync(rules, sinkRules(receiver.url));
      relay = await startChildRelay({ RELAY_DB: store.db, RELAY_RULES: rules, RELAY_LEASE: '2s', RELAY_LOG_LEVEL: 'info' });
      await fillAndFree('sqlite', relay, disk, store, receiver);
    });
  });

  describe('PostgreSQL with its tablespace on a full filesystem', () => {
    let dir: string;
    let server: PrivatePostgres | null = null;
    let disk: Tmpfs | null = null;
    let relay: ChildRelay | null = null;
    // The server goes before its disk: a tablespace removed under a running server makes its next checkpoint PANIC.
    after(() => undo([() => relay?.kill('SIGKILL'), () => server?.stop(), () => disk?.unmount(), () => rmSync(dir, { recursive: true, force: true })]));

    it('answers 503 while the tablespace is full, writes nothing half, and takes events again once there is room', async () => {
      // A server of its own: the shared one must never have a tablespace on a disk that goes away.
      dir = mkdtempSync(join(tmpdir(), 'enx-faults-pg-'));
      server = await startPrivatePostgres(dir);
      disk = mountTmpfs(join(dir, 'space'), DISK, server.owner);
      await server.sql(`CREATE TABLESPACE relay_space LOCATION '${disk.dir}'`);
      await server.sql('ALTER DATABASE postgres SET default_tablespace = relay_space');
      const store = postgresStreamStore(pgSchema(server.url));
      const rules = join(dir, 'rules.yaml');
      writeFileSync(rules, sinkRules(receiver.url));
      relay = await startChildRelay({ RELAY_DB: store.db, RELAY_RULES: rules, RELAY_LEASE: '2s', RELAY_LOG_LEVEL: 'info' });
      const placed = await store.schema.sql<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablespace = 'relay_space'");
      expect(placed.map((t) => t.tablename), "the relay's tables are on the small disk").to.include.members(['events', 'deliveries']);
      await fillAndFree('postgres', relay, disk, store, receiver);
    });
  });
});
