import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';

const rulesWith = (token: string): string => `version: 1
destinations:
  hook:
    http: { url: "https://hooks.example.com/in", headers: { Authorization: "Bearer ${token}" } }
  console:
    log: {}
routes:
  - name: all
    to: console
`;

/** Promise 4 across reloads: a literal credential of the rules, and of every earlier rules, stays masked. */
describe('relay: secrets of the rules, before and after a reload', () => {
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({ rules: rulesWith('literal-old-5150') });
  });
  after(async () => t?.stop());

  it('masks a literal credential of the rules in force, and keeps masking it after a reload', async () => {
    t.relay.logger.info({ detail: 'sent literal-old-5150' }, 'before reload');
    writeFileSync(join(t.dir, 'rules.yaml'), rulesWith('literal-new-6160'));
    const r = await t.relay.rules.reload();
    expect(r.ok).to.equal(true);
    expect(t.relay.rules.current().secrets).to.deep.equal(['literal-new-6160']);
    t.relay.logger.warn({ stored: 'last error: 401 for literal-old-5150' }, 'after reload literal-new-6160');
    await t.logs.waitFor((lines) => lines.some((l) => l.includes('after reload')));
    const all = t.logs.lines.join('\n');
    expect(all).to.not.include('literal-old-5150');
    expect(all).to.not.include('literal-new-6160');
    expect(all).to.include('last error: 401 for [redacted]');
    for (const l of t.logs.lines) JSON.parse(l);
  });
});
