import { expect } from 'chai';
import type { CheckContext, DestinationKind } from '../../../src/delivery/destination.js';
import { loadRules, parseRules, type RulesOptions } from '../../../src/config/rules.js';
import type { DestinationSpec, Rules } from '../../../src/config/rules-types.js';
import type { ErrorDetail } from '../../../src/errors.js';
import { EXAMPLES, exampleEvent } from '../routing/example-events.js';

function ok(yaml: string, opts: Partial<RulesOptions> = {}): Rules {
  const r = parseRules(yaml, 'r.yaml', { env: {}, ...opts });
  if (!r.ok) expect.fail(JSON.stringify(r.errors));
  return r.rules;
}

function warningsOf(yaml: string, opts: Partial<RulesOptions> = {}): ErrorDetail[] {
  const r = parseRules(yaml, 'r.yaml', { env: {}, ...opts });
  if (!r.ok) expect.fail(JSON.stringify(r.errors));
  return r.warnings;
}

function errors(yaml: string, opts: Partial<RulesOptions> = {}): ErrorDetail[] {
  const r = parseRules(yaml, 'r.yaml', { env: {}, ...opts });
  expect(r.ok, 'must fail').to.equal(false);
  return r.ok ? [] : r.errors;
}

const CONSOLE = 'version: 1\ndestinations:\n  console:\n    log: {}\n';

describe('config/rules parseRules', () => {
  it('applies defaults: retry schedule, when = every event, `to` as a list, stop false, no fallback', () => {
    const r = ok(`${CONSOLE}routes:\n  - name: all\n    to: console\n`);
    expect(r.retry.scheduleMs).to.deep.equal([5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000]);
    expect(r.routes).to.have.length(1);
    expect(r.routes[0]).to.include({ name: 'all', stop: false });
    expect(r.routes[0]?.to).to.deep.equal(['console']);
    expect(r.routes[0]?.when).to.deep.equal([]);
    expect(r.routes[0]?.pos).to.deep.equal({ file: 'r.yaml', line: 6, column: 5 });
    expect(r.fallback).to.equal(null);
    expect(r.version).to.equal(1);
    expect(r.file).to.equal('r.yaml');
    expect(r.hash).to.match(/^[0-9a-f]{64}$/);
    expect(r.destinations.get('console')).to.deep.equal({ name: 'console', kind: 'log', options: {}, pos: { file: 'r.yaml', line: 3, column: 3 } });
  });

  it('accepts `log:` with no options, and keeps concurrency beside the kind', () => {
    const r = ok('version: 1\ndestinations:\n  quiet:\n    log:\n    concurrency: 3\nfallback: quiet\n');
    expect(r.destinations.get('quiet')).to.include({ kind: 'log', concurrency: 3 });
    expect(r.destinations.get('quiet')?.options).to.deep.equal({});
  });

  it('health: failing_after at the top and per destination, default 10m; refused where wrong, at file:line:column', () => {
    expect(ok(`${CONSOLE}fallback: console\n`).health).to.deep.equal({ failingAfterMs: 600_000 });
    const r = ok('version: 1\nhealth: { failing_after: 5m }\ndestinations:\n  hook:\n    log: {}\n    failing_after: 90s\n  other: { log: {} }\nfallback: hook\n');
    expect(r.health).to.deep.equal({ failingAfterMs: 300_000 });
    expect(r.destinations.get('hook')).to.include({ failingAfterMs: 90_000 });
    expect(r.destinations.get('other')?.failingAfterMs).to.equal(undefined);
    expect(errors('version: 1\nhealth: { failing_after: soon }\ndestinations:\n  hook:\n    log: {}\n    failing_after: 10\nfallback: hook\n')).to.deep.equal([
      { path: 'r.yaml:2:26', message: '"soon": a duration is a whole number with a unit: ms, s, m, h or d (e.g. 30s, 10m, 1h)' },
      { path: 'r.yaml:6:20', message: 'a duration is a whole number with a unit: ms, s, m, h or d (e.g. 30s, 10m, 1h)' },
    ]);
    expect(errors('version: 1\nhealth: { failing_after: 500ms, every: 1m }\ndestinations:\n  hook:\n    log: {}\n    failing_after: 0s\nfallback: hook\n')).to.deep.equal([
      { path: 'r.yaml:2:33', message: 'unknown key "every"' },
    ]);
    expect(errors('version: 1\nhealth: { failing_after: 500ms }\ndestinations:\n  hook:\n    log: {}\n    failing_after: 0s\nfallback: hook\n')).to.deep.equal([
      { path: 'r.yaml:2:26', message: 'failing_after must be at least 1s (500 ms would announce every slow answer as an outage)' },
      { path: 'r.yaml:6:20', message: 'failing_after must be at least 1s (0 ms would announce every slow answer as an outage)' },
    ]);
  });

  it('substitutes ${VAR} in string values, keeps $${ literal, and collects the values as secrets', () => {
    const r = ok(
      `version: 1
destinations:
  hook:
    http:
      url: https://\${HOST}/in
      headers: { Authorization: "Bearer \${TOKEN}", X-Price: "$\${NOT_A_VAR}" }
      signing_secret: \${SECRET}
fallback: hook
`,
      { env: { HOST: 'hooks.example.com', TOKEN: 'tok-abcdef', SECRET: 'whsec_c2VjcmV0' } },
    );
    expect(r.destinations.get('hook')?.options).to.deep.equal({
      url: 'https://hooks.example.com/in',
      headers: { Authorization: 'Bearer tok-abcdef', 'X-Price': '${NOT_A_VAR}' },
      signing_secret: 'whsec_c2VjcmV0',
    });
    expect(r.secrets).to.have.members(['hooks.example.com', 'tok-abcdef', 'whsec_c2VjcmV0']);
  });

  it('reports each missing variable at its own column, even in quoted and block strings', () => {
    const yaml = `version: 1
destinations:
  mail:
    email:
      to: "\${TO_ADDR}"
      subject: "a \${ONE} b \${TWO}"
      text: |
        line one
          indented \${THREE}
fallback: mail
`;
    expect(errors(yaml, { env: { ONE: 'set-value' } })).to.deep.equal([
      { path: 'r.yaml:5:12', message: 'environment variable TO_ADDR is not set' },
      { path: 'r.yaml:6:28', message: 'environment variable TWO is not set' },
      { path: 'r.yaml:9:20', message: 'environment variable THREE is not set' },
    ]);
  });

  it('reports a malformed ${ reference', () => {
    const e = errors(`${CONSOLE}fallback: console\nroutes:\n  - { name: "x \${oops", to: console }\n`);
    expect(e).to.have.length(1);
    expect(e[0]?.path).to.equal('r.yaml:7:16');
    expect(e[0]?.message).to.match(/is not a variable reference/);
  });

  it('never puts a substituted value into an error message', () => {
    const e = errors(`${CONSOLE}routes:\n  - { name: r, to: "\${DEST}" }\n`, { env: { DEST: 'secret-destination' } });
    expect(e).to.deep.equal([{ path: 'r.yaml:6:20', message: 'route "r" sends to "[redacted]", which is not a defined destination' }]);
  });

  it('reports every schema error at the offending key or value', () => {
    const e = errors(`version: 2
destinations:
  Bad_Name: { log: {} }
  twice: { log: {}, slack: { channel: "#x" } }
  typo:
    slack: { chanel: "#x" }
  hook:
    http: { url: "ftp://x", method: GET, timeout: 10x }
routes:
  - name: r
    when: { type: { regx: a } }
    to: [twice]
    stp: true
retry: { schedule: [5 sec] }
extra: true
`);
    expect(e.map((x) => `${x.path} ${x.message}`)).to.deep.equal([
      'r.yaml:1:10 must be 1',
      'r.yaml:3:3 "Bad_Name": a destination name is lower case letters, digits, - and _ (starting with a letter or digit)',
      'r.yaml:4:10 a destination needs exactly one kind: slack, email, http, log or mirror',
      'r.yaml:6:12 missing required key "channel"',
      'r.yaml:6:14 unknown key "chanel"',
      'r.yaml:8:18 "ftp://x": an http:// or https:// URL',
      'r.yaml:8:37 must be one of: POST, PUT, PATCH',
      'r.yaml:8:51 a duration (10s) or a number of milliseconds',
      'r.yaml:11:19 a condition is a value or glob (* ?), a list of them (any of), {regex: ...} or {not: ...}',
      'r.yaml:13:5 unknown key "stp"',
      'r.yaml:14:21 "5 sec": a duration is a whole number with a unit: ms, s, m, h or d (e.g. 30s, 10m, 1h)',
      'r.yaml:15:1 unknown key "extra"',
    ]);
  });

  it('a misspelt kind is an unknown key, and leaves the destination without a kind', () => {
    expect(errors('version: 1\ndestinations:\n  c:\n    slak: { channel: x }\nfallback: c\n')).to.deep.equal([
      { path: 'r.yaml:4:5', message: 'a destination needs exactly one kind: slack, email, http, log or mirror' },
      { path: 'r.yaml:4:5', message: 'unknown key "slak"' },
    ]);
  });

  it('points at the deepest bad part of a nested condition', () => {
    const e = errors(`${CONSOLE}routes:\n  - name: r\n    when: { app_id: [x, { not: { regex: 5 } }] }\n    to: console\n`);
    expect(e.map((x) => `${x.path} ${x.message}`)).to.deep.equal([
      'r.yaml:7:32 a condition is a value or glob (* ?), a list of them (any of), {regex: ...} or {not: ...}',
      'r.yaml:7:41 must be string',
    ]);
  });

  it('needs version and destinations; a top level that is not a mapping is one error', () => {
    expect(errors('routes: []\n').map((x) => x.message)).to.deep.equal(['missing required key "version"', 'missing required key "destinations"']);
    expect(errors('- just\n- a list\n')).to.deep.equal([{ path: 'r.yaml:1:1', message: 'must be object' }]);
  });

  it('checks templates of every kind for syntax; unknown fields are warnings', () => {
    const yaml = `version: 1
destinations:
  s: { slack: { channel: "#c", text: "{{ room_id }} {{ nope }}", blocks: "{% if %}" } }
  e: { email: { to: a@b.c, subject: "{{ type | no_such_filter }}", html: "{{ conf_num }}" } }
  h: { http: { url: "https://x", body: "{\\"t\\": \\"{{ tpye }}\\"}" } }
  o: { http: { url: "https://x", body: original } }
  l: { log: { template: "{% for f in files %}{{ f }}{% endfor %} {{ destination.name }} {{ expires_at | date }}" } }
routes:
  - { name: all, to: [s, e, h, o, l] }
`;
    const e = errors(yaml);
    expect(e.map((x) => x.path)).to.deep.equal(['r.yaml:3:74', 'r.yaml:4:37']);
    expect(e[0]?.message).to.match(/^slack\.blocks: template does not compile/);
    expect(e[1]?.message).to.match(/^email\.subject: template does not compile: undefined filter: no_such_filter/);
    const fixed = yaml.replace('{% if %}', '[]').replace(' | no_such_filter', '');
    const warnings = warningsOf(fixed).filter((w) => /unknown field/.test(w.message));
    expect(warnings.map((w) => [w.path, w.message.replace(/: no event schema.*$/, '')])).to.deep.equal([
      ['r.yaml:3:38', 'slack.text uses unknown field "nope"'],
      ['r.yaml:5:40', 'http.body uses unknown field "tpye" (did you mean "type"?)'],
    ]);
  });

  it("a field unknown to every schema and example is a warning, not an error: a new event type's template loads", () => {
    const yaml = `version: 1\ndestinations:\n  l: { log: { template: "{{ cdr.duration_s }} s, {{ participant }}" } }\nfallback: l\n`;
    expect(warningsOf(yaml).map((w) => w.message)).to.deep.equal([
      'log.template uses unknown field "cdr": no event schema or example has it, so it renders empty for events without it',
      'log.template uses unknown field "participant": no event schema or example has it, so it renders empty for events without it',
    ]);
    // Known from an example event: no warning.
    expect(warningsOf(yaml, { examples: [...EXAMPLES, exampleEvent('participant-join')] }).map((w) => w.message)).to.have.length(1);
  });

  it("runs each kind's own check with positions of its options and the example events", () => {
    const seen: { spec: DestinationSpec; ctx: CheckContext }[] = [];
    const slack: DestinationKind = {
      kind: 'slack',
      check(spec, ctx) {
        seen.push({ spec, ctx });
        return [{ path: ctx.posOf(['channel']), message: 'channel must start with # or C' }, { message: 'no path given' }];
      },
      create: () => expect.fail('not created by a check'),
    };
    const e = errors(`version: 1\ndestinations:\n  ops:\n    slack:\n      channel: video-ops\nfallback: ops\n`, {
      kinds: new Map([['slack', slack]]),
      examples: EXAMPLES,
    });
    expect(e).to.deep.equal([
      { path: 'r.yaml:3:3', message: 'no path given' },
      { path: 'r.yaml:5:16', message: 'channel must start with # or C' },
    ]);
    expect(seen).to.have.length(1);
    expect(seen[0]?.spec.options).to.deep.equal({ channel: 'video-ops' });
    expect(seen[0]?.ctx.examples).to.equal(EXAMPLES);
    expect(seen[0]?.ctx.posOf(['nope', 'deeper'])).to.equal('r.yaml:5:7');
  });

  it('loadRules reports an unreadable file as an error, without throwing', async () => {
    const r = await loadRules('test/fixtures/rules/does-not-exist.yaml', { env: {} });
    expect(r).to.deep.equal({ ok: false, errors: [{ path: 'test/fixtures/rules/does-not-exist.yaml:1:1', message: 'cannot read the rules file (ENOENT)' }] });
  });

  it('refuses __proto__ keys without touching any prototype', () => {
    const e = errors('version: 1\n__proto__: { polluted: 1 }\ndestinations:\n  c: { log: {} }\n  __proto__: { log: {} }\nfallback: c\n');
    expect(e.map((x) => x.path)).to.deep.equal(['r.yaml:2:1', 'r.yaml:5:3']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('stamps loadedAt from the injected clock', () => {
    const r = ok(`${CONSOLE}fallback: console\n`, { clock: { now: () => new Date('2024-11-27T10:00:00Z') } });
    expect(r.loadedAt).to.equal('2024-11-27T10:00:00.000Z');
  });
});
