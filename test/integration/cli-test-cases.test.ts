import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

// `enx-relay test` and `check`'s `tests:`, built, as admins run them in their own CI.
describe('enx-relay test: routing test cases', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  const env = { RELAY_LOG_LEVEL: 'warn' };
  const write = (name: string, text: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('passes the example cases against the example rules (exit 0)', async () => {
    const r = await runCli(['test', 'config/routes.test.example.yaml', '--rules', 'config/rules.example.yaml'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('PASS'))).to.have.length(3);
    expect(r.stdout).to.include('config/routes.test.example.yaml: 3 cases, 3 passed, 0 failed');
  });

  it('prints each failing case with what differed and exits 1; --json says the same', async () => {
    const cases = write(
      'cases.yaml',
      `cases:
  - name: a roomdrop goes nowhere
    event: { type: roomdrop, trans_date: 1732700512, app_id: a, room_id: r, conf_num: "1" }
    expect: { destinations: none }
  - name: a recording reaches the console
    event: { type: recording, trans_date: 1732700512, app_id: a, room_id: r, conf_num: "1", recording: ["https://f/1.mp4"] }
    expect: { destinations: console }
`,
    );
    const r = await runCli(['test', cases, '--rules', 'config/rules.example.yaml'], env);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include(`FAIL  a roomdrop goes nowhere  (${cases}:2:5)`);
    expect(r.stdout).to.include(`      destinations: expected none, got [console] (${cases}:4:29)`);
    expect(r.stdout).to.include('        unexpected: console');
    expect(r.stdout).to.include('PASS  a recording reaches the console');
    expect(r.stdout).to.include(': 2 cases, 1 passed, 1 failed');
    const json = await runCli(['test', cases, '--rules', 'config/rules.example.yaml', '--json'], env);
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout);
    expect(report).to.include({ passed: 1, failed: 1 });
    expect(report.results[0].got).to.deep.equal({ destinations: ['console'], routes: ['sessions ended'] });
  });

  it('exits 2 for a usage mistake and 1 for a file it cannot use', async () => {
    for (const args of [['test'], ['test', 'a.yaml', 'b.yaml'], ['test', 'a.yaml', '--rulez', 'x']]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr).to.include('(enx-relay test --help shows its usage)');
    }
    const missing = await runCli(['test', join(tmp.dir, 'none.yaml'), '--rules', 'config/rules.example.yaml'], env);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('none.yaml:1:1: cannot read the test cases file (ENOENT)');
    const badRules = await runCli(['test', 'config/routes.test.example.yaml', '--rules', 'test/fixtures/rules/undefined-destination.yaml'], env);
    expect(badRules.code).to.equal(1);
    expect(badRules.stderr).to.include('the rules were NOT accepted; no case was run');
    expect((await runCli(['test', '--help'], env)).code).to.equal(0);
  });

  it('check runs the tests: file the rules name and fails when a case fails', async () => {
    write('events.yaml', `cases:\n  - name: roomdrop\n    event: { type: roomdrop, trans_date: 1732700512, app_id: a, room_id: r, conf_num: "1" }\n    expect: { destinations: [ops] }\n`);
    const rules = (to: string): string => `version: 1\ntests: events.yaml\ndestinations:\n  ops: { log: {} }\n  other: { log: {} }\nroutes:\n  - name: all\n    to: ${to}\n`;
    const good = await runCli(['check', write('rules.yaml', rules('ops'))], env);
    expect(good.code, good.stdout + good.stderr).to.equal(0);
    expect(good.stdout).to.include(`routing test cases: ${join(tmp.dir, 'events.yaml')}`);
    expect(good.stdout).to.include('PASS  roomdrop');
    const rerouted = await runCli(['check', write('rules.yaml', rules('other'))], env);
    expect(rerouted.code).to.equal(1);
    expect(rerouted.stdout).to.include('FAIL  roomdrop');
    expect(rerouted.stdout).to.include('missing: ops');
  });
});
