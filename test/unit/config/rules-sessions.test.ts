import { expect } from 'chai';
import { parseRules } from '../../../src/config/rules.js';
import type { Rules } from '../../../src/config/rules-types.js';
import type { ErrorDetail } from '../../../src/errors.js';
import { sessionEvent } from '../../contract/session-fixtures.js';
import { sessionTouch } from '../../../src/sessions/session-touch.js';

const HEAD = 'version: 1\ndestinations:\n  console:\n    log: {}\nfallback: console\n';

function ok(yaml: string): Rules {
  const r = parseRules(HEAD + yaml, 'r.yaml', { env: {} });
  if (!r.ok) expect.fail(JSON.stringify(r.errors));
  return r.rules;
}

function errors(yaml: string): ErrorDetail[] {
  const r = parseRules(HEAD + yaml, 'r.yaml', { env: {} });
  expect(r.ok, 'must fail').to.equal(false);
  return r.ok ? [] : r.errors;
}

const ISSUE_EXAMPLE = `sessions:
  expect:
    - name: recording after the session ends
      after: roomdrop
      then: recording
      within: 2h
    - name: files delivered to our bucket
      after: recording
      then: file-transfer
      within: 6h
      when: { app_id: "64f0*" }
`;

describe('config/rules sessions.expect', () => {
  it('builds the expectations of the issue: types, durations, `when` compiled like a route, positions', () => {
    const r = ok(ISSUE_EXAMPLE);
    expect(r.expectations!.map((x) => [x.name, x.after, x.then, x.withinMs, x.when.map((w) => w.path), x.pos.line])).to.deep.equal([
      ['recording after the session ends', 'roomdrop', 'recording', 2 * 3600_000, [], 8],
      ['files delivered to our bucket', 'recording', 'file-transfer', 6 * 3600_000, ['app_id'], 12],
    ]);
    const [, bucket] = r.expectations!;
    const rec = (app: string): number => sessionTouch(sessionEvent({ type: 'recording', app_id: app, recording: 'https://p.example/a.mp4' }, new Date(0)), r.expectations!)!.opens.length;
    // A recording opens the bucket watch only in an app matching 64f0*.
    expect([rec('64f0aa'), rec('1234')]).to.deep.equal([1, 0]);
    expect(bucket!.when[0]!.test('64f0a1')).to.equal(true);
  });

  it('no sessions section: no expectations', () => {
    expect(ok('').expectations).to.deep.equal([]);
  });

  it('refuses unknown or equal types, a zero within, duplicate names, unknown `when` fields and bad conditions, each at file:line:column', () => {
    const errs = errors(`sessions:
  expect:
    - name: a
      after: roomdorp
      then: recording
      within: 2h
    - name: a
      after: recording
      then: recording
      within: 0s
    - name: c
      after: relay.session.overdue
      then: transcoded
      within: 1h
      when: { app_idd: x, room_id: { regex: "(" } }
`);
    expect(errs).to.have.length(7);
    const byPath = errs.map((e) => `${e.path} ${e.message}`);
    expect(byPath.some((m) => m.startsWith('r.yaml:9:14 ') && m.includes('"roomdorp"') && m.includes('did you mean'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:12:13 ') && m.includes('duplicate expectation name "a" (first at line 8'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:14:13 ') && m.includes('also its after'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:15:15 ') && m.includes('more than 0'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:17:14 ') && m.includes('"relay.session.overdue" is not an event type'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:20:15 ') && m.includes('"app_idd"'))).to.equal(true, byPath.join('\n'));
    expect(byPath.some((m) => m.startsWith('r.yaml:20:45 ') && m.includes('regex does not compile'))).to.equal(true, byPath.join('\n'));
  });

  it('refuses a malformed within and unknown keys through the schema', () => {
    const errs = errors('sessions:\n  expect:\n    - { name: a, after: roomdrop, then: recording, within: soon, then_type: x }\n');
    expect(errs.map((e) => e.message).join('\n')).to.include('a duration is a whole number with a unit');
    expect(errs.map((e) => e.message).join('\n')).to.include('then_type');
  });
});
