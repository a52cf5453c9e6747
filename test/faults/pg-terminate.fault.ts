import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { EventStream } from '../support/event-stream.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { postgresStreamStore } from '../support/stream-store.js';
import { expectSound, settle, sinkRules } from '../support/stream-verdict.js';
import { tempDir } from '../support/temp-dir.js';
import { recordRow } from './support/fault-table.js';

/** How long backends are terminated, and how often. */
const STORM_MS = 4000;
const EVERY_MS = 20;
/** After the storm: this many 200s in a row is recovered. */
const STREAK = 20;

/**
 * The built relay on PostgreSQL while every backend it has is terminated again and again
 * (pg_terminate_backend, as an admin or a failover does), mid-stream. Only this relay's
 * backends: its application_name names its schema, so other users of the server are untouched.
 */
describe('fault: PostgreSQL backends terminated mid-stream', function () {
  this.timeout(180_000);
  const store = postgresStreamStore();
  let receiver: ScriptedReceiver;
  let tmp: ReturnType<typeof tempDir>;
  let relay: ChildRelay | null = null;

  before(async () => {
    receiver = await startScriptedReceiver();
    receiver.setDefault({ status: 200, delayMs: 10 });
    tmp = tempDir('enx-faults-');
  });
  after(async () => {
    await relay?.kill('SIGKILL');
    await receiver.close();
    await store.close();
    tmp.cleanup();
  });

  it('answers 503 while it lasts (no other 5xx, no hang), recovers by itself, and loses nothing acked', async () => {
    const started = Date.now();
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, sinkRules(receiver.url));
    const r = (relay = await startChildRelay({ RELAY_DB: store.db, RELAY_RULES: rules, RELAY_LEASE: '2s', RELAY_LOG_LEVEL: 'info' }));
    const stream = new EventStream('term');
    await stream.run(() => r.url, { count: 20, everyMs: 5 });

    const killer = new pg.Client({ connectionString: store.schema.url, application_name: 'enx-faults' });
    await killer.connect();
    let terminated = 0;
    let storming = true;
    const storm = (async () => {
      try {
        for (const until = Date.now() + STORM_MS; Date.now() < until; await new Promise((x) => setTimeout(x, EVERY_MS))) {
          const { rows } = await killer.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [`enx-relay:${store.schema.schema}`]);
          terminated += rows.filter((x) => x.ok).length;
        }
      } finally {
        storming = false;
        await killer.end();
      }
    })();
    const from = stream.sent.length;
    await Promise.all([storm, stream.run(() => r.url, { count: Math.ceil(STORM_MS / 10) + 100, everyMs: 10, stop: () => !storming })]);
    const during = stream.sent.slice(from).map((c) => String(stream.outcomes.get(c)));
    const stormEnded = Date.now();

    // It recovers by itself: nothing restarts it; the next posts get 200 again.
    let streak = 0;
    let backAt = 0;
    while (streak < STREAK && Date.now() - stormEnded < 30_000) {
      if ((await stream.post(r.url)) === 200) {
        if (streak++ === 0) backAt = Date.now();
      } else streak = 0;
      await new Promise((x) => setTimeout(x, 10));
    }
    expect(r.proc.exitCode ?? r.proc.signalCode, `the relay stopped:\n${r.output.slice(-40).join('\n')}`).to.equal(null);
    const ready = await fetch(`${r.url}/readyz`);
    const v = await settle(stream, receiver.requests, store, 'term', 60_000);
    const unavailable = during.filter((o) => o === '503').length;
    recordRow('pg_terminate_backend', 'postgres', stream, v, started, `${terminated} backends terminated in ${STORM_MS / 1000} s; 503 x${unavailable} of ${during.length} meanwhile; 200 again ${((backAt - stormEnded) / 1000).toFixed(1)} s after`);

    expect(terminated, 'backends terminated').to.be.greaterThan(0);
    expect(unavailable, 'the storm was felt: some posts got 503').to.be.greaterThan(0);
    expect([...new Set(during)].filter((o) => o !== '200' && o !== '503'), 'answers during the storm other than 200 and 503').to.deep.equal([]);
    expect([...stream.tally.keys()].filter((k) => k !== '200' && k !== '503'), 'no hang, no cut connection, no other status').to.deep.equal([]);
    expect(streak, `${STREAK} answers of 200 in a row within 30 s of the storm`).to.equal(STREAK);
    expect(ready.status).to.equal(200);
    expectSound(v);
  });
});
