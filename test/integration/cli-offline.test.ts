import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgSchema } from '../support/pg-schema.js';
import { runCli, runCliOnTty } from '../support/run-cli.js';
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
      'unknown-template-field',
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
        const all = r.stderr.split('\n').filter(Boolean);
        const last = all.pop();
        expect(last).to.match(new RegExp(`^${file}: \\d+ errors?; the rules were NOT accepted$`));
        // Each error is one line, then the source line it points at and a caret under the column.
        const lines = all.filter((l) => !l.startsWith('    '));
        expect(lines).to.not.be.empty;
        const n = Number(/: (\d+) error/.exec(last!)![1]);
        expect(lines).to.have.length(n, 'the count matches the lines');
        for (const line of lines) expect(line).to.match(new RegExp(`^${file}:\\d+:\\d+: \\S`));
        for (const line of all.filter((l) => l.startsWith('    ')).filter((_, i) => i % 2 === 1)) expect(line).to.match(/^ {4} *\^$/);
        expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
      });
    }

    it('puts the error at the exact line and column (malformed, undefined destination, unknown field)', async () => {
      const malformed = await runCli(['check', 'test/fixtures/rules/malformed.yaml'], env);
      expect(malformed.stderr).to.match(/^test\/fixtures\/rules\/malformed\.yaml:5:1: .*\}/m);
      const undef = await runCli(['check', 'test/fixtures/rules/undefined-destination.yaml'], env);
      expect(undef.stderr).to.match(/^test\/fixtures\/rules\/undefined-destination\.yaml:8:19: route "recordings" sends to "video-ops", which is not a defined destination$/m);
      const field = await runCli(['check', 'test/fixtures/rules/unknown-template-field.yaml'], env);
      expect(field.stderr).to.match(/^test\/fixtures\/rules\/unknown-template-field\.yaml:6:16: .*"romo_id".*"room_id"/m);
    });

    it('shows the offending line with a caret under the column, and says what to do', async () => {
      const rules = join(tmp.dir, 'star.yaml');
      writeFileSync(rules, 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes:\n  - name: all\n    when: { type: * }\n    to: console\n');
      const r = await runCli(['check', rules], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal(`${rules}:7:19: "*" starts a YAML alias here, not a value: quote it (type: "*")\n        when: { type: * }\n                      ^\n\n${rules}: 1 error; the rules were NOT accepted\n`);
    });

    it('--json gives the errors, or the summary and warnings, as JSON', async () => {
      const bad = await runCli(['check', 'test/fixtures/rules/undefined-destination.yaml', '--json'], env);
      expect(bad.code).to.equal(1);
      const errors = JSON.parse(bad.stdout) as { ok: boolean; errors: { path: string; message: string }[] };
      expect(errors.ok).to.equal(false);
      expect(errors.errors[0]).to.deep.include({ path: 'test/fixtures/rules/undefined-destination.yaml:8:19' });
      const good = await runCli(['check', 'config/rules.example.yaml', '--json'], env);
      expect(good.code, good.stderr).to.equal(0);
      const summary = JSON.parse(good.stdout) as { ok: boolean; summary: { destinations: { name: string; kind: string }[]; routes: unknown[] } };
      expect(summary.ok).to.equal(true);
      expect(summary.summary.destinations).to.deep.equal([{ name: 'console', kind: 'log' }]);
      expect(summary.summary.routes).to.have.length(4);
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
        // good.yaml has an email destination: without an SMTP server its deliveries could only die.
        RELAY_SMTP_URL: 'smtp://127.0.0.1:2525',
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

  describe('usage', () => {
    it('--help prints the usage and exits 0', async () => {
      const r = await runCli(['--help'], env);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('Usage: enx-relay <command> [options]');
      for (const c of ['serve', 'check', 'route', 'send', 'events', 'replay', 'purge', 'rejected', 'migrate']) {
        expect(r.stdout).to.match(new RegExp(`^  ${c}\\b`, 'm'));
      }
    });

    it('an unknown command exits 2 naming it, with "did you mean" when it is close to one', async () => {
      const r = await runCli(['frobnicate'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr.trim()).to.equal('enx-relay: unknown command "frobnicate"\n(enx-relay --help lists the commands)');
      expect(r.stdout).to.equal('');
      const typo = await runCli(['evnets'], env);
      expect(typo.code).to.equal(2);
      expect(typo.stderr).to.match(/^enx-relay: unknown command "evnets" \(did you mean "events"\?\)/);
    });

    it('a bare enx-relay prints the help and exits 0, starting nothing; --version and -V print the version', async () => {
      const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' });
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('Usage: enx-relay <command> [options]');
      expect(r.stdout).to.not.include('listening');
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      for (const flag of ['--version', '-V']) expect((await runCli([flag], env)).stdout.trim()).to.equal(version);
    });

    const COMMANDS = ['serve', 'check', 'route', 'send', 'events', 'event', 'replay', 'purge', 'rejected', 'migrate'];
    it('COMMAND --help prints that command\'s usage, exits 0 and does nothing else', async () => {
      const db = join(tmp.dir, 'help.db');
      for (const c of COMMANDS) {
        for (const flag of c === 'serve' ? ['--help', '-h'] : ['--help']) {
          const r = await runCli([c, flag], { ...env, RELAY_DB: `sqlite:${db}`, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' }, { timeoutMs: 10_000 });
          expect(r.code, `${c} ${flag}: ${r.stderr}`).to.equal(0);
          expect(r.stdout).to.match(new RegExp(`^Usage: enx-relay ${c}\\b`));
          expect(r.stdout).to.not.include('OK (sha256');
        }
      }
      expect(existsSync(db), 'no command created a database').to.equal(false);
      const help = await runCli(['help', 'replay'], env);
      expect(help.stdout).to.match(/^Usage: enx-relay replay/);
    });

    it('unknown options and extra arguments are usage errors (exit 2) on every command', async () => {
      for (const c of COMMANDS) {
        const r = await runCli([c, '--frobnicate'], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' }, { timeoutMs: 10_000 });
        expect(r.code, `${c}: ${r.stdout} ${r.stderr}`).to.equal(2);
        expect(r.stderr, c).to.match(new RegExp(`^enx-relay ${c}: `));
      }
      const port = await runCli(['serve', '--port', '9000'], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1' });
      expect(port.code).to.equal(2);
      expect(port.stderr).to.include('settings come from the environment, e.g. RELAY_PORT=9000 enx-relay serve');
      const two = await runCli(['check', 'config/rules.example.yaml', 'test/fixtures/rules/good.yaml'], env);
      expect(two.code).to.equal(2);
      expect(two.stderr).to.include('unexpected argument "test/fixtures/rules/good.yaml"');
      for (const args of [['events', '--limit', 'abc'], ['rejected', '--limit', '0'], ['send', '--example', 'roomdrop', '--count', 'x']]) {
        const r = await runCli(args, env);
        expect(r.code, args.join(' ')).to.equal(2);
        expect(r.stderr).to.match(/must be a whole number from \d+ to \d+, not "/);
      }
    });

    it('migrate says which database and which migrations it applied, then that none are pending', async () => {
      const first = await runCli(['migrate'], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout.trim()).to.match(new RegExp(`^sqlite:${join(tmp.dir, 'relay.db')}: applied \\d+ migrations: 001_init\\.sql, `));
      const again = await runCli(['migrate'], env);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout.trim()).to.equal(`sqlite:${join(tmp.dir, 'relay.db')}: up to date, no migration pending`);
      expect(JSON.parse((await runCli(['migrate', '--json'], env)).stdout)).to.deep.equal({ database: `sqlite:${join(tmp.dir, 'relay.db')}`, applied: [] });
      const events = await runCli(['events'], env);
      expect(events.code, events.stderr).to.equal(0);
      expect(events.stdout.trim()).to.equal('no events');
    });
  });

  describe('mistyped arguments', () => {
    it('events --status with an unknown status exits 2 listing the statuses, rather than "no events"', async () => {
      const r = await runCli(['events', '--status', 'dea'], env);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim()).to.equal('enx-relay events: --status must be one of pending, delivering, delivered, dead\n(enx-relay events --help shows its usage)');
    });

    it('an unknown option exits 2 naming it, with "did you mean", without a stack trace', async () => {
      const r = await runCli(['events', '--stauts', 'dead'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay events: unknown option --stauts \(did you mean "--status"\?\)/);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });

    it('a --since that is neither a duration nor a time exits 2 saying so', async () => {
      const r = await runCli(['events', '--since', 'yesterday'], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^enx-relay events: --since: "yesterday" is neither a duration/);
    });

    it('commands other than serve and migrate never create a database: they name the one they looked for, exit 1', async () => {
      const db = join(tmp.dir, 'elsewhere', 'relay.db');
      for (const args of [['events'], ['event', 'x'], ['rejected'], ['replay'], ['purge', '--dead', '--yes']]) {
        const r = await runCli(args, { ...env, RELAY_DB: `sqlite:${db}` });
        expect(r.code, args.join(' ')).to.equal(1);
        expect(r.stderr).to.include(`no database at sqlite:${db} (RELAY_DB=sqlite:${db})`).and.include('enx-relay migrate` creates a new one');
        expect(r.stdout).to.equal('');
      }
      // PostgreSQL: a schema (or database) without the relay's tables is not created either.
      const pg = pgSchema();
      try {
        const url = `${pg.url}?schema=${pg.schema}`;
        const r = await runCli(['events'], { ...env, RELAY_DB: url });
        expect(r.code, r.stdout).to.equal(1);
        expect(r.stderr.trim()).to.equal(`enx-relay events: no enx-relay tables in postgres://127.0.0.1:5432/test?schema=${pg.schema} (RELAY_DB): set RELAY_DB to the relay's database, or run this where the relay runs; \`enx-relay migrate\` creates a new one`);
        expect(await pg.sql('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [pg.schema])).to.deep.equal([]);
        const migrated = await runCli(['migrate'], { ...env, RELAY_DB: url });
        expect(migrated.code, migrated.stderr).to.equal(0);
        expect((await runCli(['events'], { ...env, RELAY_DB: url })).stdout.trim()).to.equal('no events');
      } finally {
        await pg.drop();
      }
      const relative = await runCli(['events'], { ...env, RELAY_DB: 'sqlite:data/nowhere-relay.db' });
      expect(relative.stderr).to.include('(RELAY_DB=sqlite:data/nowhere-relay.db, a path relative to ');
      expect(existsSync(db)).to.equal(false);
      expect(existsSync(join(tmp.dir, 'elsewhere'))).to.equal(false);
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

    const oneLine: [string, Record<string, string>, RegExp][] = [
      ['RELAY_HOST=256.1.1.1', { RELAY_HOST: '256.1.1.1' }, /^enx-relay: bad setting RELAY_HOST: "256\.1\.1\.1" is not an IPv4 address/],
      ['a RELAY_HOST that does not resolve', { RELAY_HOST: 'no-such-host.invalid' }, /^enx-relay: bad setting RELAY_HOST: cannot listen on no-such-host\.invalid: the name does not resolve/],
      ['RELAY_DB=sqlite:/proc/x.db', { RELAY_DB: 'sqlite:/proc/x.db' }, /^enx-relay: bad setting RELAY_DB: cannot open sqlite:\/proc\/x\.db: SQLITE_CANTOPEN/],
      // Node's own recursive mkdir never returns under /proc: this start used to hang.
      ['RELAY_DB=sqlite:/proc/sub/x.db', { RELAY_DB: 'sqlite:/proc/enx-relay-test/x.db' }, /^enx-relay: bad setting RELAY_DB: cannot open sqlite:\/proc\/enx-relay-test\/x\.db: cannot create the directory/],
      ['a short RELAY_ADMIN_TOKEN', { RELAY_ADMIN_TOKEN: 'tok-123' }, /^enx-relay: bad setting RELAY_ADMIN_TOKEN: is 7 characters long; at least 16 are needed/],
      ['a RELAY_ADMIN_TOKEN with a space inside', { RELAY_ADMIN_TOKEN: 'long enough token value' }, /^enx-relay: bad setting RELAY_ADMIN_TOKEN: contains whitespace/],
      ['RELAY_LOG_FORMAT=xml', { RELAY_LOG_FORMAT: 'xml' }, /^enx-relay: bad setting RELAY_LOG_FORMAT: "xml" is not one of json, pretty/],
    ];
    for (const [what, bad, message] of oneLine) {
      it(`${what} stops the relay with one line naming the variable, no stack trace`, async () => {
        const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', ...bad }, { entry: 'main.js' });
        expect(r.code, r.stdout).to.equal(1);
        const lines = r.stderr.split('\n').filter(Boolean);
        expect(lines, r.stderr).to.have.length(1);
        expect(lines[0]).to.match(message);
        expect(r.stderr).to.not.include('try again');
        if (bad['RELAY_ADMIN_TOKEN']) expect(r.stdout + r.stderr).to.not.include(bad['RELAY_ADMIN_TOKEN']);
      });
    }

    it('a Slack destination without a token, or email without RELAY_SMTP_URL, is refused at start with its line', async () => {
      const rules = join(tmp.dir, 'needs.yaml');
      writeFileSync(rules, 'version: 1\ndestinations:\n  ops:\n    slack: { channel: "#ops" }\n  team:\n    email: { to: a@example.com }\nroutes:\n  - { name: all, to: [ops, team] }\n');
      const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_RULES: rules }, { entry: 'main.js' });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(new RegExp(`^\\s+${rules}:3:3: slack: no token: set SLACK_BOT_TOKEN`, 'm'));
      expect(r.stderr).to.match(new RegExp(`^\\s+${rules}:5:3: email: RELAY_SMTP_URL is not set`, 'm'));
      const check = await runCli(['check', rules], env);
      expect(check.code).to.equal(1);
      expect(check.stderr).to.match(new RegExp(`^${rules}:3:3: slack: no token`, 'm'));
      const ok = await runCli(['check', rules], { ...env, SLACK_BOT_TOKEN: 'xoxb-1-2', RELAY_SMTP_URL: 'smtp://127.0.0.1:2525' });
      expect(ok.code, ok.stderr).to.equal(0);
    });

    it('on a terminal the log is readable lines, not JSON; RELAY_LOG_FORMAT=json makes it JSON there too', async () => {
      const bad = { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_RULES: 'test/fixtures/rules/malformed.yaml', RELAY_LOG_LEVEL: 'info' };
      const pretty = await runCliOnTty(['serve'], bad);
      expect(pretty.code).to.equal(1);
      // Colours on a terminal; the text without them:
      expect(pretty.stdout).to.include('\u001b[');
      pretty.stdout = pretty.stdout.replace(/\u001b\[[0-9;]*m/g, '');
      expect(pretty.stdout).to.match(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d{4}\] WARN: RELAY_INGEST_USER \/ RELAY_INGEST_PASSWORD are unset/m);
      expect(pretty.stdout).to.match(/^\[[^\]]+\] ERROR: rules file refused \{"file":"test\/fixtures\/rules\/malformed\.yaml"/m);
      expect(pretty.stdout).to.not.include('{"level":');
      const json = await runCliOnTty(['serve'], { ...bad, RELAY_LOG_FORMAT: 'json' });
      const lines = json.stdout.split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).to.be.at.least(2);
      for (const l of lines) expect(() => JSON.parse(l)).to.not.throw();
    });

    it('malformed rules at start exit 1 with their file:line:column errors', async () => {
      const r = await runCli([], { ...env, RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_RULES: 'test/fixtures/rules/malformed.yaml' }, { entry: 'main.js' });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^enx-relay: rules refused: /);
      expect(r.stderr).to.match(/^\s+test\/fixtures\/rules\/malformed\.yaml:5:1: .*end with a \}/m);
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    });
  });
});
