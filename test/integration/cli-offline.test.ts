import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';

// The built CLI (`node dist/cli.js`), as users run it: commands that need no running relay.
describe('enx-relay CLI: check, route, usage, settings', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'warn' };
  });
  afterEach(() => tmp.cleanup());

  describe('check', () => {
    it('accepts config/rules.example.yaml and summarizes its destinations and routes', async () => {
      const r = await runCli(['check', 'config/rules.example.yaml'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.match(/^config\/rules\.example\.yaml: OK \(sha256 [0-9a-f]{12}\)/);
      expect(r.stdout).to.match(/destinations \(1\):\n\s+console\s+log\n/);
      expect(r.stdout).to.include('routes (4), tried top to bottom:');
      for (const name of ['sessions ended', 'recordings ready', 'files delivered', 'other event types']) {
        expect(r.stdout).to.match(new RegExp(`^  ${name}: when .* -> console$`, 'm'));
      }
      expect(r.stdout).to.include('fallback: console');
      expect(r.stdout).to.include('retry schedule: 5s, 30s, 2m, 10m, 30m, 1h, 3h, 6h, 12h (9 retries)');
    });

    it('checks the file named by RELAY_RULES when none is given', async () => {
      const r = await runCli(['check'], { ...env, RELAY_RULES: 'test/fixtures/rules/undefined-destination.yaml' });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('test/fixtures/rules/undefined-destination.yaml:8:19: ');
    });

    const failing = [
      'malformed',
      'undefined-destination',
      'missing-var',
      'evil',
      'empty',
      'duplicate-key',
      'duplicate-route',
      'bad-regex',
      'bad-glob',
      'alias-bomb',
    ];
    for (const name of failing) {
      it(`refuses ${name}.yaml with exit 1 and every error as file:line:column: message`, async () => {
        const file = `test/fixtures/rules/${name}.yaml`;
        const r = await runCli(['check', file], env);
        expect(r.code, r.stdout + r.stderr).to.equal(1);
        expect(r.stdout).to.equal('', 'no summary for refused rules');
        const lines = r.stderr.split('\n').filter(Boolean);
        const last = lines.pop();
        expect(last).to.match(new RegExp(`^${file}: \\d+ errors?; the rules were NOT accepted$`));
        expect(lines).to.not.be.empty;
        const n = Number(/: (\d+) error/.exec(last!)![1]);
        expect(lines).to.have.length(n, 'the count matches the lines');
        for (const line of lines) expect(line).to.match(new RegExp(`^${file}:\\d+:\\d+: \\S`));
        expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
      });
    }

    it('puts the error at the exact line and column (malformed, undefined destination); an unknown field is a warning there', async () => {
      const malformed = await runCli(['check', 'test/fixtures/rules/malformed.yaml'], env);
      expect(malformed.stderr).to.match(/^test\/fixtures\/rules\/malformed\.yaml:5:1: .*\}/m);
      const undef = await runCli(['check', 'test/fixtures/rules/undefined-destination.yaml'], env);
      expect(undef.stderr).to.match(/^test\/fixtures\/rules\/undefined-destination\.yaml:8:19: route "recordings" sends to "video-ops", which is not a defined destination$/m);
      const field = await runCli(['check', 'test/fixtures/rules/unknown-template-field.yaml'], env);
      expect(field.code, field.stderr).to.equal(0);
      expect(field.stdout).to.match(/^test\/fixtures\/rules\/unknown-template-field\.yaml:6:13: warning: http\.body uses unknown field "romo_id" \(did you mean "room_id"\?\)/m);
    });

    it('accepts good.yaml only with the environment variables it uses, and never prints their values', async () => {
      const missing = await runCli(['check', 'test/fixtures/rules/good.yaml'], env);
      expect(missing.code).to.equal(1);
      for (const v of ['TEST_SLACK_TOKEN', 'TEST_PATH', 'TEST_TOKEN', 'TEST_SECRET']) {
        expect(missing.stderr).to.match(new RegExp(`^test/fixtures/rules/good\\.yaml:\\d+:\\d+: environment variable ${v} is not set$`, 'm'));
      }
      const secrets = {
        TEST_SLACK_TOKEN: 'xoxb-cli-test-token',
        TEST_PATH: 'enablex',
        TEST_TOKEN: 'bearer-cli-test-token',
        TEST_SECRET: `whsec_${Buffer.from('a-signing-secret-of-32-bytes!!!!').toString('base64')}`,
      };
      const r = await runCli(['check', 'test/fixtures/rules/good.yaml'], { ...env, ...secrets });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('destinations (6):');
      expect(r.stdout).to.include('routes (5), tried top to bottom:');
      expect(r.stdout).to.match(/debug rooms: when .* -> console-json \(stop\)/);
      expect(r.stdout).to.include('retry schedule: 1s, 1m, 1h, 1d (4 retries)');
      for (const s of [secrets.TEST_SLACK_TOKEN, secrets.TEST_TOKEN, secrets.TEST_SECRET]) expect(r.stdout + r.stderr).to.not.include(s);
    });
  });

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
      expect(r.stderr.trim()).to.equal(`enx-relay: cannot read ${join(tmp.dir, 'nope.json')} (ENOENT)`);
    });

    it('refuses bad rules with their file:line:column errors', async () => {
      const r = await runCli(['route', 'test/fixtures/enablex/recording.json', '--rules', 'test/fixtures/rules/malformed.yaml'], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^test\/fixtures\/rules\/malformed\.yaml:5:1: /m);
    });
  });

  describe('usage', () => {
    it('--help prints the usage and exits 0', async () => {
      const r = await runCli(['--help'], env);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('Usage: enx-relay <command> [options]');
      for (const c of ['serve', 'check', 'route', 'send', 'events', 'replay', 'purge', 'rejected', 'migrate']) {
        expect(r.stdout).to.match(new RegExp(`^  ${c}\\b`, 'm'));
      }
    });

    it('an unknown command exits 2 naming it, with the usage', async () => {
      const r = await runCli(['frobnicate'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay: unknown command "frobnicate"/);
      expect(r.stderr).to.include('Usage: enx-relay <command> [options]');
      expect(r.stdout).to.equal('');
    });

    it('migrate exits 0 on a fresh database, and again on a migrated one', async () => {
      const first = await runCli(['migrate'], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.include('migrations applied (sqlite)');
      const again = await runCli(['migrate'], env);
      expect(again.code, again.stderr).to.equal(0);
      const events = await runCli(['events'], env);
      expect(events.code, events.stderr).to.equal(0);
      expect(events.stdout.trim()).to.equal('no events');
    });
  });

  describe('mistyped arguments', () => {
    it('events --status with an unknown status exits 1 listing the statuses, rather than "no events"', async () => {
      const r = await runCli(['events', '--status', 'dea'], env);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim()).to.equal('enx-relay: --status must be one of pending, delivering, delivered, dead');
    });

    it('an unknown option exits 2 naming it, without a stack trace', async () => {
      const r = await runCli(['events', '--stauts', 'dead'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay: Unknown option '--stauts'/);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });

    it('a --since that is neither a duration nor a time exits 1 saying so', async () => {
      const r = await runCli(['events', '--since', 'yesterday'], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^enx-relay: --since: "yesterday" is neither a duration/);
    });
  });

  describe('bad settings and bad rules at start (dist/main.js)', () => {
    it('RELAY_PORT=eighty exits 1 with one line on stderr naming RELAY_PORT', async () => {
      const r = await runCli([], { ...env, RELAY_PORT: 'eighty', RELAY_HOST: '127.0.0.1' }, { entry: 'main.js' });
      expect(r.code).to.equal(1);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.include('RELAY_PORT').and.include('eighty');
    });

    it('malformed rules at start exit 1 with their file:line:column errors', async () => {
      const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_RULES: 'test/fixtures/rules/malformed.yaml' }, { entry: 'main.js' });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^enx-relay: rules refused: /);
      expect(r.stderr).to.match(/^\s+test\/fixtures\/rules\/malformed\.yaml:5:1: .*\}$/m);
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    });
  });
});
