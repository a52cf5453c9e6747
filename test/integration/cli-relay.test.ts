import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { eventually } from '../support/eventually.js';
import { runCli, runCliOnTty } from '../support/run-cli.js';
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
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'info', RELAY_SHUTDOWN_GRACE: '2s', TZ: 'UTC' };
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

    it('names the webhook URL to give EnableX, the store, the rules file, the admin API and the dashboard in its first line', () => {
      const line = relay.output.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l['msg']).startsWith('enx-relay listening'))!;
      expect(line['msg']).to.equal(`enx-relay listening: EnableX webhook URL ${relay.url}/webhooks/enablex`);
      expect(line).to.include({ url: relay.url, webhook: `${relay.url}/webhooks/enablex`, store: `sqlite:${join(tmp.dir, 'relay.db')}`, rules: 'config/rules.example.yaml', admin_api: 'off (RELAY_ADMIN_TOKEN unset)', dashboard: 'off (RELAY_ADMIN_TOKEN unset)', ingest_auth: 'off (open intake)' });
    });

    it('three sends in a row are three events, not duplicates', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runCli(['send', '--example', 'recording', '--url', relay.url, '--json'], env);
        expect(r.code, r.stderr).to.equal(0);
        const answer = JSON.parse(r.stdout) as { status: number; body: { id: string; duplicate: boolean } };
        expect(answer.status).to.equal(200);
        expect(answer.body.duplicate).to.equal(false);
        ids.push(answer.body.id);
      }
      expect(new Set(ids).size).to.equal(3);
      const asIs = await runCli(['send', '--example', 'roomdrop', '--as-is', '--count', '2', '--url', relay.url], env);
      expect(asIs.stdout.trim().split('\n')[1]).to.match(/^200 .*"duplicate":true/);
    });

    it('send --count 2 sends two distinct events (fresh trans_date), not duplicates', async () => {
      const r = await runCli(['send', '--example', 'roomdrop', '--count', '2', '--url', `${relay.url}/webhooks/enablex`], env);
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).to.have.length(2);
      for (const line of lines) expect(line).to.match(/^200 \{.*"duplicate":false/);
    });

    it('send --example with an unknown type exits 2 listing the types', async () => {
      const r = await runCli(['send', '--example', 'recordings', '--url', relay.url], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay send: --example must be one of roomdrop, recording, transcoded, file-transfer$/m);
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    });

    it('rejected lists a body that got 400', async () => {
      const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "recording", oops' });
      expect(res.status).to.equal(400);
      const r = await runCli(['rejected'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.not.include('no rejected bodies');
      expect(r.stdout).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00\s+invalid_json\s+body is not valid JSON/m);
      expect(r.stdout).to.include('{"type": "recording", oops');
      const json = await runCli(['rejected', '--json'], env);
      const rows = JSON.parse(json.stdout) as { code: string; raw: string }[];
      expect(rows).to.have.length(1);
      expect(rows[0]!.code).to.equal('invalid_json');
      expect(rows[0]!.raw).to.equal('{"type": "recording", oops');
    });
  });

  it('send to a relay with Basic auth says which settings it reads the credentials from', async () => {
    const relay = await startChildRelay({ ...env, RELAY_INGEST_USER: 'enablex', RELAY_INGEST_PASSWORD: 'ingest-pass-1234' });
    try {
      const without = await runCli(['send', '--example', 'roomdrop', '--url', relay.url], env);
      expect(without.code).to.equal(1);
      expect(without.stdout).to.match(/^401 /);
      expect(without.stderr).to.include('set RELAY_INGEST_USER and RELAY_INGEST_PASSWORD here to the values the relay was started with');
      const wrong = await runCli(['send', '--example', 'roomdrop', '--url', relay.url], { ...env, RELAY_INGEST_USER: 'enablex', RELAY_INGEST_PASSWORD: 'nope' });
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).to.include('refused the credentials of RELAY_INGEST_USER / RELAY_INGEST_PASSWORD');
      const right = await runCli(['send', '--example', 'roomdrop', '--url', relay.url], { ...env, RELAY_INGEST_USER: 'enablex', RELAY_INGEST_PASSWORD: 'ingest-pass-1234' });
      expect(right.code, right.stderr).to.equal(0);
      const line = relay.output.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l['msg']).startsWith('enx-relay listening'))!;
      expect(line['ingest_auth']).to.equal('basic');
    } finally {
      await relay.kill('SIGTERM');
    }
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
      const rows = dead.stdout.split('\n');
      const at = rows.findIndex((l) => l.includes(id));
      expect(rows[at], dead.stdout).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00  \S+  recording  /);
      expect(rows[at + 1]).to.match(/^ {4}sink  dead after 1 try: .*410/);

      const one = await runCli(['event', id], env);
      expect(one.code, one.stderr).to.equal(0);
      expect(one.stdout).to.match(new RegExp(`^event ${id}: recording\n`));
      expect(one.stdout).to.match(/^ {2}sink \(route "all", delivery \S+\)\n {4}now: dead after 1 try: .*410/m);
      expect(one.stdout, one.stdout).to.match(/^ {4}1\. \S+ \S+  \d+ ms  permanent 410 /m);
      const oneJson = JSON.parse((await runCli(['event', id, '--json'], env)).stdout) as { event: { id: string; raw?: unknown }; deliveries: { attemptLog: unknown[] }[] };
      expect(oneJson.event.id).to.equal(id);
      expect(oneJson.event.raw).to.equal(undefined);
      expect(oneJson.deliveries[0]!.attemptLog).to.have.length(1);
      const nosuch = await runCli(['event', '0190c0de-0000-7000-8000-000000000000'], env);
      expect(nosuch.code).to.equal(1);
      expect(nosuch.stderr).to.include('no event with id "0190c0de-0000-7000-8000-000000000000"');

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
      expect(keep.stdout).to.match(/^0 events received before \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 purged$/m);
      const refused = await runCli(['purge'], env);
      expect(refused.code, 'saying nothing to purge is a usage error').to.equal(2);
      expect(refused.stderr).to.include('--dead').and.include('--delivered');
      expect(refused.stderr).to.not.match(/\n\s+at /, 'no stack trace');

      // A name or an id that matches nothing is a failure, not "0 replayed".
      const nosuchEvent = await runCli(['replay', '--event', 'nosuch'], env);
      expect(nosuchEvent.code).to.equal(1);
      expect(nosuchEvent.stderr.trim()).to.equal('enx-relay replay: nothing matched: there is no event with id "nosuch" (enx-relay events lists recent ones)');
      const nosuchDest = await runCli(['replay', '--destination', 'nosuch'], { ...env, RELAY_RULES: rules });
      expect(nosuchDest.code).to.equal(1);
      expect(nosuchDest.stderr.trim()).to.equal(`enx-relay replay: nothing matched: no delivery to a destination named "nosuch"; the destinations in ${rules} are sink`);
      const notDead = await runCli(['replay', '--destination', 'sink', '--status', 'pending'], { ...env, RELAY_RULES: rules });
      expect(notDead.code, 'a known destination with nothing to replay is no failure').to.equal(0);
      expect(notDead.stdout).to.match(/^0 deliveries replayed/);

      const dry = await runCli(['replay', '--status', 'dead', '--dry-run'], env);
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).to.match(/^1 delivery would be replayed/m);
      expect((await listed()).deliveries[0]).to.include({ status: 'dead', attempts: 1 }, 'a dry run changes nothing');

      const replay = await runCli(['replay', '--status', 'dead'], env);
      expect(replay.code, replay.stderr).to.equal(0);
      expect(replay.stdout).to.match(/^1 delivery replayed/m);
      expect((await listed()).deliveries[0]).to.include({ status: 'pending' });
      const replayed = (await runCli(['events'], env)).stdout.split('\n');
      expect(replayed[replayed.findIndex((l) => l.includes(id)) + 1]).to.match(/^ {4}sink  pending \(replayed, due \S+ \S+\)$/);
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

      const delivered = (await runCli(['events'], env)).stdout.split('\n');
      // The current attempt's state: no 410 beside "delivered".
      expect(delivered[delivered.findIndex((l) => l.includes(id)) + 1]).to.equal('    sink  delivered (1 try)');
      expect((await listed()).deliveries[0]).to.include({ status: 'delivered' });
      const history = await runCli(['event', id], env);
      expect(history.stdout).to.match(/^ {4}1\. .* permanent 410 /m).and.match(/^ {4}2\. .* success 200/m);

      const cut = ['--delivered', '--before', '2999-01-01T00:00:00Z'];
      const dryPurge = await runCli(['purge', ...cut, '--dry-run'], env);
      expect(dryPurge.stdout.trim()).to.equal('1 delivered event received before 2999-01-01 00:00:00+00:00 would be purged (dry run)');
      const unconfirmed = await runCli(['purge', ...cut], env);
      expect(unconfirmed.code).to.equal(1);
      expect(unconfirmed.stderr).to.include('1 delivered event received before 2999-01-01 00:00:00+00:00 would be purged: add --yes');
      expect((await listed()).id).to.equal(id, 'nothing deleted without confirmation');
      const declined = await runCliOnTty(['purge', ...cut], env, { waitFor: '[y/N]', answer: 'n\n' });
      expect(declined.stdout).to.include('Delete 1 delivered event received before 2999-01-01 00:00:00+00:00? This cannot be undone. [y/N]');
      expect(declined.stdout).to.include('nothing purged');
      expect(declined.code).to.equal(1);
      expect((await listed()).id).to.equal(id, 'nothing deleted when the admin says no');
      const purge = await runCli(['purge', ...cut, '--yes'], env);
      expect(purge.code, purge.stderr).to.equal(0);
      expect(purge.stdout).to.match(/^1 event received before 2999-01-01 00:00:00\+00:00 purged$/m);
      expect((await runCli(['events'], env)).stdout.trim()).to.equal('no events');
    });
  });
});
