import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// The built CLI (`node dist/cli.js`), as users run it: checking rules files.
describe('enx-relay CLI: check', function () {
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
      expect(r.stdout).to.include('failing after: 10m without a success');
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

    it('puts the error at the exact line and column (malformed, undefined destination); an unknown field is a warning there', async () => {
      const malformed = await runCli(['check', 'test/fixtures/rules/malformed.yaml'], env);
      expect(malformed.stderr).to.match(/^test\/fixtures\/rules\/malformed\.yaml:5:1: .*\}/m);
      const undef = await runCli(['check', 'test/fixtures/rules/undefined-destination.yaml'], env);
      expect(undef.stderr).to.match(/^test\/fixtures\/rules\/undefined-destination\.yaml:8:19: route "recordings" sends to "video-ops", which is not a defined destination$/m);
      const field = await runCli(['check', 'test/fixtures/rules/unknown-template-field.yaml'], env);
      expect(field.code, field.stderr).to.equal(0);
      expect(field.stdout).to.match(/^test\/fixtures\/rules\/unknown-template-field\.yaml:6:13: warning: http\.body uses unknown field "romo_id" \(did you mean "room_id"\?\)/m);
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
});
