import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadRules } from '../../../src/config/rules.js';
import { EXAMPLES } from '../routing/example-events.js';

const DIR = 'test/fixtures/rules';
const ENV = { TEST_SLACK_TOKEN: 'xoxb-test-token', TEST_PATH: 'enablex', TEST_TOKEN: 'bearer-test-token', TEST_SECRET: 'whsec_dGVzdHNlY3JldA==' };

async function errorsOf(name: string, env: Record<string, string> = ENV): Promise<{ path?: string; message: string }[]> {
  const r = await loadRules(join(DIR, name), { env, examples: EXAMPLES });
  expect(r.ok, `${name} must fail`).to.equal(false);
  return r.ok ? [] : r.errors;
}

describe('config/rules fixtures', () => {
  // Each file that must fail: the one error it must give, at its exact line and column.
  const failing: [file: string, at: string, message: RegExp][] = [
    ['empty.yaml', '1:1', /^file is empty$/],
    ['malformed.yaml', '5:1', /Flow map .* end with a \}/],
    ['undefined-destination.yaml', '8:19', /route "recordings" sends to "video-ops", which is not a defined destination/],
    ['bad-regex.yaml', '8:25', /regex does not compile \(RE2 syntax.*\): missing closing \)/],
    ['bad-glob.yaml', '7:27', /glob "abc\\" ends with an unfinished escape/],
    ['missing-var.yaml', '6:41', /^environment variable TEST_MISSING_TOKEN is not set$/],
    ['duplicate-key.yaml', '5:3', /Map keys must be unique/],
    ['alias-bomb.yaml', '1:1', /aliases expand too much/],
  ];
  for (const [file, at, message] of failing) {
    it(`${file} fails at ${at}`, async () => {
      const errors = await errorsOf(file);
      expect(errors).to.have.length(1);
      expect(errors[0]?.path).to.equal(`${DIR}/${file}:${at}`);
      expect(errors[0]?.message).to.match(message);
    });
  }

  it('unknown-template-field.yaml loads, with a warning and a "did you mean" at the field', async () => {
    const r = await loadRules(join(DIR, 'unknown-template-field.yaml'), { env: ENV, examples: EXAMPLES });
    if (!r.ok) expect.fail(JSON.stringify(r.errors));
    expect(r.warnings).to.deep.equal([
      {
        path: `${DIR}/unknown-template-field.yaml:6:13`,
        message: 'http.body uses unknown field "romo_id" (did you mean "room_id"?): no event schema or example has it, so it renders empty for events without it',
      },
    ]);
  });

  it('duplicate-route.yaml reports every error, not only the first', async () => {
    expect(await errorsOf('duplicate-route.yaml')).to.deep.equal([
      { path: `${DIR}/duplicate-route.yaml:8:11`, message: 'duplicate route name "all" (first at line 6, column 5)' },
      { path: `${DIR}/duplicate-route.yaml:10:11`, message: 'fallback "nowhere" is not a defined destination' },
    ]);
  });

  it('good.yaml, which uses every kind and every condition form, loads', async () => {
    const r = await loadRules(join(DIR, 'good.yaml'), { env: ENV, examples: EXAMPLES });
    if (!r.ok) expect.fail(JSON.stringify(r.errors));
    expect(r.warnings).to.deep.equal([]);
    expect([...r.rules.destinations.values()].map((d) => [d.name, d.kind])).to.deep.equal([
      ['video-ops', 'slack'],
      ['media-team', 'email'],
      ['archive', 'http'],
      ['reshaped', 'http'],
      ['console', 'log'],
      ['console-json', 'log'],
    ]);
    expect(r.rules.retry.scheduleMs).to.deep.equal([1000, 60_000, 3_600_000, 86_400_000]);
  });

  it('config/rules.example.yaml (the default of npm start) loads with no errors, no warnings and no variables', async () => {
    const r = await loadRules('config/rules.example.yaml', { env: {}, examples: EXAMPLES });
    if (!r.ok) expect.fail(JSON.stringify(r.errors));
    expect(r.warnings).to.deep.equal([]);
    expect(r.rules.secrets).to.deep.equal([]);
    expect([...r.rules.destinations.values()].map((d) => d.kind)).to.deep.equal(['log']);
    expect(readFileSync('config/rules.example.yaml', 'utf8')).to.match(/^# yaml-language-server: \$schema=\.\.\/schemas\/rules\.schema\.json$/m);
  });

  it('warns (without failing) about an unused destination and a route no event can reach', async () => {
    const r = await loadRules(join(DIR, 'warnings.yaml'), { env: {} });
    if (!r.ok) expect.fail(JSON.stringify(r.errors));
    expect(r.warnings).to.deep.equal([
      { path: `${DIR}/warnings.yaml:5:3`, message: 'destination "unused" is not used by any route nor as fallback' },
      { path: `${DIR}/warnings.yaml:12:5`, message: 'route "never tried" is never tried: "everything" above matches every event and stops' },
    ]);
  });

  describe('evil.yaml: YAML tags that would build code', () => {
    let dir: string;
    let marker: string;
    let file: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'enx-evil-'));
      marker = join(dir, 'pwned');
      file = join(dir, 'evil.yaml');
      writeFileSync(file, readFileSync(join(DIR, 'evil.yaml'), 'utf8').replace('EVIL_PATH', marker));
      delete (globalThis as Record<string, unknown>).__enxRelayEvil;
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('are refused at their positions, and nothing runs', async () => {
      const r = await loadRules(file, { env: {} });
      expect(r.ok).to.equal(false);
      expect(r.ok ? [] : r.errors).to.deep.equal([
        { path: `${file}:6:17`, message: 'unsupported YAML tag (Unresolved tag: tag:yaml.org,2002:js/function)' },
        { path: `${file}:9:9`, message: 'unsupported YAML tag (Unresolved tag: tag:yaml.org,2002:js/function)' },
      ]);
      expect(existsSync(marker), 'the function wrote its file').to.equal(false);
      expect((globalThis as Record<string, unknown>).__enxRelayEvil).to.equal(undefined);
    });

    it('stay plain strings even for the bare yaml parser', () => {
      const data = parse(readFileSync(file, 'utf8'), { logLevel: 'silent' }) as { routes: { to: unknown }[] };
      expect(data.routes[0]?.to).to.be.a('string');
      expect(existsSync(marker)).to.equal(false);
      expect((globalThis as Record<string, unknown>).__enxRelayEvil).to.equal(undefined);
    });
  });
});
