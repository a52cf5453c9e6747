import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { parseRules } from '../../../../src/config/rules.js';
import type { Rules } from '../../../../src/config/rules-types.js';
import { caseYaml } from '../../../../src/routing/test-cases/case-yaml.js';
import { loadCases } from '../../../../src/routing/test-cases/load-cases.js';
import { runCases } from '../../../../src/routing/test-cases/run-cases.js';
import { tempDir } from '../../../support/temp-dir.js';

const RULES = `version: 1
destinations:
  ops: { log: {} }
  archive: { log: {} }
routes:
  - name: recordings to ops
    when: { type: recording }
    to: ops
  - name: app x to the archive
    when: { app_id: x }
    to: archive
`;
const rules = (): Rules => {
  const r = parseRules(RULES, 'rules.yaml', { env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
};
const event = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'roomdrop', trans_date: 1732700512, app_id: 'a', room_id: 'r', conf_num: '1', ...over });

describe('routing test cases', () => {
  let tmp: ReturnType<typeof tempDir>;
  const file = (name: string, text: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('passes a case whose event reaches exactly the destinations and routes it names, in any order', async () => {
    file('drop.json', JSON.stringify(event({ app_id: 'x' })));
    const loaded = await loadCases(
      file(
        'cases.yaml',
        `cases:
  - name: both
    event: { type: recording, trans_date: 1732700512, app_id: x, room_id: r, conf_num: "1", recording: ["https://f/1.mp4"] }
    expect: { destinations: [archive, ops], routes: [app x to the archive, recordings to ops] }
  - name: from a file
    event_file: drop.json
    expect: { destinations: archive }
  - name: nowhere
    event: ${JSON.stringify(event())}
    expect: { destinations: none, routes: none }
`,
      ),
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const results = runCases(loaded.cases, rules());
    expect(results.map((r) => [r.name, r.passed, r.problems])).to.deep.equal([
      ['both', true, []],
      ['from a file', true, []],
      ['nowhere', true, []],
    ]);
  });

  it('fails a case with what differed: missing, unexpected, and names the rules do not define', async () => {
    const loaded = await loadCases(
      file(
        'cases.yaml',
        `cases:
  - name: wrong
    event: ${JSON.stringify(event({ app_id: 'x' }))}
    expect:
      destinations: [ops, pager]
      routes: [recordings to ops]
  - name: refused event
    event: { type: recording, app_id: x }
    expect: { destinations: none }
`,
      ),
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const [wrong, refused] = runCases(loaded.cases, rules());
    expect(wrong!.passed).to.equal(false);
    expect(wrong!.where).to.match(/cases\.yaml:2:5$/);
    expect(wrong!.problems).to.deep.equal([
      `destinations: expected [ops, pager], got [archive] (${join(tmp.dir, 'cases.yaml')}:5:21)`,
      '  missing: ops',
      '  missing: pager (no destination of that name in the rules)',
      '  unexpected: archive',
      `routes: expected [recordings to ops], got [app x to the archive] (${join(tmp.dir, 'cases.yaml')}:6:15)`,
      '  missing: recordings to ops',
      '  unexpected: app x to the archive',
    ]);
    expect(refused!.passed).to.equal(false);
    expect(refused!.problems[0]).to.match(/^the event at .*cases\.yaml:8:12 is not one the relay accepts: "recording" event does not match its schema/);
    expect(refused!.problems.slice(1).join('\n')).to.include('/trans_date is required');
  });

  it('refuses a malformed cases file with every problem at file:line:column', async () => {
    const loaded = await loadCases(
      file(
        'cases.yaml',
        `version: 2
cases:
  - name: a
    evnet: {}
    expect: { destinations: [ops] }
  - name: a
    event: {}
    event_file: x.json
    expect: { destination: ops }
  - event_file: missing.json
    expect: { destinations: [] }
  - just a string
`,
      ),
    );
    expect(loaded.ok).to.equal(false);
    if (loaded.ok) return;
    const lines = loaded.errors.map((e) => `${e.path!.replace(`${tmp.dir}/`, '')}: ${e.message}`);
    expect(lines).to.deep.equal([
      'cases.yaml:1:10: must be 1',
      'cases.yaml:4:5: unknown key "evnet" (did you mean "event"?); known: name, event, event_file, expect',
      'cases.yaml:3:5: a case needs exactly one of `event` (the body, inline) and `event_file` (a JSON file)',
      'cases.yaml:6:11: duplicate case name "a" (first is case 1)',
      'cases.yaml:6:5: a case needs exactly one of `event` (the body, inline) and `event_file` (a JSON file)',
      'cases.yaml:9:15: unknown key "destination" (did you mean "destinations"?); known: destinations, routes',
      'cases.yaml:9:13: `expect` needs `destinations:` (a list, or none)',
      'cases.yaml:10:5: a case needs a `name`',
      `cases.yaml:10:17: cannot read ${tmp.dir}/missing.json (ENOENT)`,
      'cases.yaml:11:29: must be a name, a list of names, or none',
      'cases.yaml:12:5: a case is a map: name, event (or event_file), expect',
    ]);
    const empty = await loadCases(file('empty.yaml', 'cases: []\n'));
    expect(!empty.ok && empty.errors[0]!.message).to.equal('`cases:` must list at least one case');
    const missing = await loadCases(join(tmp.dir, 'nope.yaml'));
    expect(!missing.ok && missing.errors[0]!.message).to.equal('cannot read the test cases file (ENOENT)');
    const bad = await loadCases(file('bad.yaml', 'cases: [\n'));
    expect(!bad.ok && bad.errors[0]!.path).to.match(/bad\.yaml:\d+:\d+$/);
  });

  it('writes a case (the route tester\'s) that reads back to the same event and expectations, whatever the values hold', async () => {
    const value = fc.oneof(fc.string(), fc.constantFrom('null', 'true', '~', '<<', '- x', '#x', '{a: 1}', '*alias', '&anchor', '!!js/function', "'", '"', '\n', '\u0000', '1e3', '0x10', 'yes'), fc.integer(), fc.boolean(), fc.dictionary(fc.constantFrom('<<', 'a', 'type'), fc.string(), { maxKeys: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('<<', '? x', 'a: b')), value, { maxKeys: 5 }), fc.array(fc.constantFrom('ops', 'archive'), { maxLength: 2 }), async (extra, dests) => {
        const body = { ...extra, ...event() };
        const name = `case ${typeof extra['<<'] === 'string' ? extra['<<'] : ''}`;
        const text = caseYaml({ name, event: body, destinations: [...new Set(dests)], routes: [] });
        const loaded = await loadCases(file('c.yaml', text));
        if (!loaded.ok) throw new Error(`${text}\n${JSON.stringify(loaded.errors)}`);
        expect(JSON.parse(loaded.cases[0]!.raw.toString())).to.deep.equal(body);
        expect(loaded.cases[0]!.name).to.equal(name);
        expect(loaded.cases[0]!.destinations).to.deep.equal([...new Set(dests)]);
        expect(loaded.cases[0]!.routes).to.deep.equal([]);
      }),
      { numRuns: 150 },
    );
  });
});
