import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliOnTty } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// The built relay (`dist/main.js`, as `npm start` runs it): bad settings and rules stop it, in one line each.
describe('enx-relay serve: what stops it at start', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'warn' };
  });
  afterEach(() => tmp.cleanup());

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
