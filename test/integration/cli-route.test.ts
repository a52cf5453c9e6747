import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';

// The built CLI: routing an event by the rules, with nothing sent.
describe('enx-relay CLI: route', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'warn' };
  });
  afterEach(() => tmp.cleanup());

  describe('route', () => {
    let receiver: ScriptedReceiver;
    let rules: string;
    beforeEach(async () => {
      receiver = await startScriptedReceiver();
      rules = join(tmp.dir, 'rules.yaml');
      writeFileSync(
        rules,
        [
          'version: 1',
          'destinations:',
          '  archive:',
          '    http:',
          `      url: ${receiver.url}/hook`,
          `      body: '{"room": "{{ room_id }}", "kind": "{{ type }}", "files": {{ files | json }}}'`,
          '  console:',
          '    log: {}',
          'routes:',
          '  - name: recordings to archive',
          '    when: { type: recording }',
          '    to: archive',
          '  - name: roomdrops to archive',
          '    when: { type: roomdrop }',
          '    to: archive',
          '  - name: everything to console',
          '    to: console',
          '',
        ].join('\n'),
      );
    });
    afterEach(() => receiver.close());

    it('routes a relay event body (relay.session.overdue as a receiver got it) by the same rules, with its built-in message', async () => {
      const body = {
        type: 'relay.session.overdue',
        origin: 'enx-relay',
        trans_date: '2025-03-01T12:00:00.000Z',
        app_id: '64f0a1',
        room_id: 'r1',
        conf_num: '7',
        session_key: '64f0a1~r1~7',
        expectation: 'recording after the session ends',
        after: 'roomdrop',
        then: 'recording',
        arrived: ['roomdrop'],
        missing: ['recording'],
        since: '2025-03-01T10:00:00.000Z',
        due_at: '2025-03-01T12:00:00.000Z',
        within: '2h',
      };
      const file = join(tmp.dir, 'overdue.json');
      writeFileSync(file, JSON.stringify(body));
      const r = await runCli(['route', file, '--rules', rules], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^event: relay\.session\.overdue \(app 64f0a1, room r1, conf 7\)$/m);
      expect(r.stdout).to.match(/^matched routes:\n  everything to console -> console\n/m);
      expect(r.stdout).to.include('recording missing 2h after roomdrop');
      expect(receiver.requests).to.have.length(0);
    });

    it('prints the matched routes and each rendered message, and sends nothing', async () => {
      const r = await runCli(['route', 'test/fixtures/enablex/recording.json', '--rules', rules], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^event: recording \(app 64f0c1a2e7b9d81f2c3a4b5c, room 6750a8f1c2d3e4f5a6b7c8d9, conf 917345201\)$/m);
      expect(r.stdout).to.match(/^matched routes:\n  recordings to archive -> archive\n  everything to console -> console\n/m);
      expect(r.stdout).to.not.include('roomdrops to archive');
      expect(r.stdout).to.include(`== archive via recordings to archive: POST ${receiver.url}/hook`);
      expect(r.stdout).to.include('"room": "6750a8f1c2d3e4f5a6b7c8d9"');
      expect(r.stdout).to.include('"kind": "recording"');
      expect(r.stdout).to.include('== console via everything to console: stdout (text)');
      expect(r.stdout).to.match(/recording ready · app 64f0c1a2e7b9d81f2c3a4b5c/);
      expect(receiver.requests).to.have.length(0, 'route must not send anything');
    });

    it('--json lists every delivery with its rendered payload', async () => {
      const r = await runCli(['route', 'test/fixtures/enablex/recording.json', '--rules', rules, '--json'], env);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as {
        event: { id: string; type: string };
        matched: { route: string; destinations: string[] }[];
        deliveries: { destination: string; route: string | null; message: { target: string; payload: any } }[];
      };
      expect(out.event.type).to.equal('recording');
      expect(out.matched.map((m) => m.route)).to.deep.equal(['recordings to archive', 'everything to console']);
      expect(out.deliveries.map((d) => d.destination)).to.deep.equal(['archive', 'console']);
      const archive = out.deliveries[0]!;
      expect(archive.message.target).to.equal(`POST ${receiver.url}/hook`);
      expect(archive.message.payload.body).to.deep.equal({
        room: '6750a8f1c2d3e4f5a6b7c8d9',
        kind: 'recording',
        files: [
          'https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv',
          'https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-2.mkv',
        ],
      });
      expect(out.deliveries[1]!.message.payload).to.be.a('string').and.include('recording ready');
      expect(receiver.requests).to.have.length(0, 'route must not send anything');
    });

    it('a missing event file exits 1 with a readable message and no stack trace', async () => {
      const r = await runCli(['route', join(tmp.dir, 'nope.json'), '--rules', rules], env);
      expect(r.code).to.equal(1);
      expect(r.stderr.trim()).to.equal(`enx-relay route: cannot read ${join(tmp.dir, 'nope.json')} (ENOENT)`);
    });

    it('reads the event from standard input with -, or takes --example TYPE', async () => {
      const stdin = await runCli(['route', '-', '--rules', rules, '--json'], env, { input: readFileSync('test/fixtures/enablex/roomdrop.json') });
      expect(stdin.code, stdin.stderr).to.equal(0);
      expect((JSON.parse(stdin.stdout) as { matched: { route: string }[] }).matched.map((m) => m.route)).to.deep.equal(['roomdrops to archive', 'everything to console']);
      const example = await runCli(['route', '--example', 'recording', '--rules', rules], env);
      expect(example.code, example.stderr).to.equal(0);
      expect(example.stdout).to.include('recordings to archive -> archive');
      const neither = await runCli(['route', '--rules', rules], env);
      expect(neither.code).to.equal(2);
      expect(neither.stderr).to.include('give one event: a file, - for standard input, or --example TYPE');
      const bad = await runCli(['route', '--example', 'recordings', '--rules', rules], env);
      expect(bad.code).to.equal(2);
    });

    it('prints a log destination\'s line once (its summary is its payload)', async () => {
      const r = await runCli(['route', '--example', 'roomdrop', '--rules', rules], env);
      expect(r.stdout.split('\n').filter((l) => l.includes('session ended · app'))).to.have.length(1);
    });

    it('masks what the admin API masks: substituted header values, webhook URL paths, ${VAR} in URLs', async () => {
      const masked = join(tmp.dir, 'masked.yaml');
      writeFileSync(
        masked,
        [
          'version: 1',
          'destinations:',
          '  hook:',
          '    http:',
          '      url: "https://archive.example.com/in/${HOOK_PATH}"',
          '      headers: { X-Custom: "${CUSTOM_VALUE}", Authorization: "Bearer ${ARCHIVE_TOKEN}" }',
          '  slack-hook:',
          '    http: { url: "https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX" }',
          'routes:',
          '  - { name: all, to: [hook, slack-hook] }',
          '',
        ].join('\n'),
      );
      const vars = { HOOK_PATH: 'path-secret-77', CUSTOM_VALUE: 'custom-secret-88', ARCHIVE_TOKEN: 'bearer-secret-99' };
      for (const json of [false, true]) {
        const r = await runCli(['route', '--example', 'roomdrop', '--rules', masked, ...(json ? ['--json'] : [])], { ...env, ...vars });
        expect(r.code, r.stderr).to.equal(0);
        for (const s of [...Object.values(vars), 'XXXXXXXXXXXXXXXXXXXXXXXX']) expect(r.stdout).to.not.include(s);
        expect(r.stdout).to.include('https://archive.example.com/in/[redacted]').and.include('https://hooks.slack.com/services/T0001/B0002/[redacted]');
        if (json) {
          const out = JSON.parse(r.stdout) as { deliveries: { message: { payload: { headers: Record<string, string> } } }[] };
          expect(out.deliveries[0]!.message.payload.headers).to.include({ 'x-custom': '[redacted]', authorization: 'Bearer [redacted]' });
        }
      }
    });

    it('refuses bad rules with their file:line:column errors', async () => {
      const r = await runCli(['route', 'test/fixtures/enablex/recording.json', '--rules', 'test/fixtures/rules/malformed.yaml'], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^test\/fixtures\/rules\/malformed\.yaml:5:1: /m);
    });
  });
});
