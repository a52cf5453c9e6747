import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { eventually } from '../support/eventually.js';
import { runCli } from '../support/run-cli.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/enablex/${name}`, import.meta.url));

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface EventJson {
  id: string;
  type: string;
  deliveries: { destination: string; status: string; attempts: number; lastError: string | null }[];
}

// The built CLI (`node dist/cli.js`) against the built relay (`dist/main.js`) as child processes.
describe('enx-relay CLI with a running relay', function () {
  this.timeout(40_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'info', RELAY_SHUTDOWN_GRACE: '2s' };
  });
  afterEach(() => tmp.cleanup());

  describe('send and rejected', () => {
    let relay: ChildRelay;
    beforeEach(async () => {
      relay = await startChildRelay({ ...env, RELAY_RULES: 'config/rules.example.yaml' });
    });
    afterEach(async () => {
      await relay.kill('SIGTERM');
    });

    it('send --example recording posts a sample to the relay and prints its 200 answer', async () => {
      const r = await runCli(['send', '--example', 'recording', '--url', relay.url], env);
      expect(r.code, r.stderr).to.equal(0);
      const m = /^200 (\{.*\})$/m.exec(r.stdout);
      expect(m, r.stdout).to.not.equal(null);
      const answer = JSON.parse(m![1]!) as { id: string; duplicate: boolean; deliveries: number };
      expect(answer).to.include({ duplicate: false, deliveries: 1 });
      // It is stored: the CLI reads the same database the relay writes.
      await eventually(async () => {
        const events = await runCli(['events', '--json'], env);
        expect((JSON.parse(events.stdout) as EventJson[]).map((e) => e.id)).to.deep.equal([answer.id]);
      });
    });

    it('send --count 2 sends two distinct events (fresh trans_date), not duplicates', async () => {
      const r = await runCli(['send', '--example', 'roomdrop', '--count', '2', '--url', `${relay.url}/webhooks/enablex`], env);
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).to.have.length(2);
      for (const line of lines) expect(line).to.match(/^200 \{.*"duplicate":false/);
    });

    it('send --example with an unknown type exits 1 listing the types', async () => {
      const r = await runCli(['send', '--example', 'recordings', '--url', relay.url], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^enx-relay: --example must be one of roomdrop, recording, transcoded, file-transfer$/m);
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    });

    it('rejected lists a body that got 400', async () => {
      const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "recording", oops' });
      expect(res.status).to.equal(400);
      const r = await runCli(['rejected'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.not.include('no rejected bodies');
      expect(r.stdout).to.match(/^\d{4}-\d\d-\d\dT\S+\s+invalid_json\s+body is not valid JSON/m);
      expect(r.stdout).to.include('{"type": "recording", oops');
      const json = await runCli(['rejected', '--json'], env);
      const rows = JSON.parse(json.stdout) as { code: string; raw: string }[];
      expect(rows).to.have.length(1);
      expect(rows[0]!.code).to.equal('invalid_json');
      expect(rows[0]!.raw).to.equal('{"type": "recording", oops');
    });
  });

  it('send to an unreachable URL exits 1 with a readable message and no stack trace', async () => {
    const port = await closedPort();
    const r = await runCli(['send', '--example', 'recording', '--url', `http://127.0.0.1:${port}/webhooks/enablex`], env);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(`cannot reach http://127.0.0.1:${port}/webhooks/enablex: connect ECONNREFUSED`);
    expect(r.stderr).to.include('is the relay running?');
    expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    expect(r.stdout).to.equal('');
  });

  describe('dead letters end to end', () => {
    let receiver: ScriptedReceiver;
    let relay: ChildRelay | undefined;
    beforeEach(async () => {
      receiver = await startScriptedReceiver();
    });
    afterEach(async () => {
      await relay?.kill('SIGKILL');
      await receiver.close();
    });

    it('a 410 makes it dead; events shows it; replay puts it back; the restarted relay delivers it; purge', async () => {
      const rules = join(tmp.dir, 'rules.yaml');
      writeFileSync(rules, `version: 1\ndestinations:\n  sink:\n    http: { url: "${receiver.url}/hook", body: original, timeout: 2s }\nroutes:\n  - name: all\n    to: sink\nretry: { schedule: [100ms, 100ms] }\n`);
      const relayEnv = { ...env, RELAY_RULES: rules };
      receiver.setDefault({ status: 410, body: 'gone for good' });

      relay = await startChildRelay(relayEnv);
      const raw = fixture('recording.json');
      const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      expect(res.status).to.equal(200);
      const { id } = (await res.json()) as { id: string };
      const first = relay;
      await eventually(() => expect(first.output.join('\n')).to.include('delivery failed permanently: dead'), 10_000);
      expect(receiver.requests).to.have.length(1, 'a permanent failure is not retried');
      expect(await relay.kill('SIGTERM')).to.equal(0);
      relay = undefined;

      const dead = await runCli(['events', '--status', 'dead'], env);
      expect(dead.code, dead.stderr).to.equal(0);
      const row = dead.stdout.split('\n').find((l) => l.includes(id));
      expect(row, dead.stdout).to.match(/\brecording\b.*\bsink\s+dead\s+1\s+\S/);
      expect(row).to.include('410');

      const listed = async (): Promise<EventJson> => {
        const r = await runCli(['events', '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        const events = JSON.parse(r.stdout) as EventJson[];
        expect(events).to.have.length(1);
        return events[0]!;
      };
      const before = await listed();
      expect(before.id).to.equal(id);
      expect(before.deliveries).to.have.length(1);
      expect(before.deliveries[0]).to.include({ destination: 'sink', status: 'dead', attempts: 1 });
      expect(before.deliveries[0]!.lastError).to.include('410');

      // Dead letters are kept unless purged on purpose, and the default --before keeps recent ones.
      const keep = await runCli(['purge', '--dead'], env);
      expect(keep.code, keep.stderr).to.equal(0);
      expect(keep.stdout).to.match(/^0 events received before \S+ purged$/m);
      const refused = await runCli(['purge'], env);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('--dead').and.include('--delivered');
      expect(refused.stderr).to.not.match(/\n\s+at /, 'no stack trace');

      const dry = await runCli(['replay', '--status', 'dead', '--dry-run'], env);
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).to.match(/^1 delivery would be replayed/m);
      expect((await listed()).deliveries[0]).to.include({ status: 'dead', attempts: 1 }, 'a dry run changes nothing');

      const replay = await runCli(['replay', '--status', 'dead'], env);
      expect(replay.code, replay.stderr).to.equal(0);
      expect(replay.stdout).to.match(/^1 delivery replayed/m);
      expect((await listed()).deliveries[0]).to.include({ status: 'pending' });
      const none = await runCli(['events', '--status', 'dead'], env);
      expect(none.stdout.trim()).to.equal('no events');

      receiver.setDefault({ status: 200 });
      relay = await startChildRelay(relayEnv);
      await eventually(() => expect(receiver.requests).to.have.length(2), 10_000);
      const [a, b] = receiver.requests;
      expect(Buffer.compare(b!.body, raw)).to.equal(0, 'the original bytes arrive');
      expect(b!.headers['webhook-id']).to.equal(a!.headers['webhook-id'], 'the same webhook-id as the dead attempt');
      const second = relay;
      await eventually(() => expect(second.output.join('\n')).to.match(/"msg":"delivered"/), 10_000);
      expect(await relay.kill('SIGTERM')).to.equal(0);
      relay = undefined;

      const delivered = await runCli(['events'], env);
      expect(delivered.stdout.split('\n').find((l) => l.includes(id))).to.match(/\bsink\s+delivered\s+1\b/);
      expect((await listed()).deliveries[0]).to.include({ status: 'delivered' });

      const purge = await runCli(['purge', '--delivered', '--before', '2999-01-01T00:00:00Z'], env);
      expect(purge.code, purge.stderr).to.equal(0);
      expect(purge.stdout).to.match(/^1 event received before 2999-01-01T00:00:00\.000Z purged$/m);
      expect((await runCli(['events'], env)).stdout.trim()).to.equal('no events');
    });
  });
});
