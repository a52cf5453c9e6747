import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseRules } from '../../../../src/config/rules.js';
import { acceptPreviewPayload } from '../../../../src/ingest/accept-preview.js';
import { acceptPayload } from '../../../../src/ingest/accept.js';
import { ReservedTypeError } from '../../../../src/errors.js';
import { createRelayEvent } from '../../../../src/relay-events/create-relay-event.js';
import { overdueDraft } from '../../../../src/relay-events/types/session-overdue.js';
import { loadCases } from '../../../../src/routing/test-cases/load-cases.js';
import { runCases } from '../../../../src/routing/test-cases/run-cases.js';
import { tempDir } from '../../../support/temp-dir.js';

const RULES = `version: 1
destinations:
  ops: { log: {} }
  pager: { log: {} }
routes:
  - name: overdue to the pager
    when: { type: relay.session.overdue, expectation: "files delivered*" }
    to: pager
  - name: the rest
    to: ops
`;

/** The body of a relay.session.overdue as a receiver gets it. */
function overdueBody(expectation: string): Record<string, unknown> {
  const draft = overdueDraft({
    key: '64f0a1~r~1',
    appId: '64f0a1',
    roomId: 'r',
    confNum: '1',
    thenSeen: false,
    typesSeen: ['recording'],
    watch: { name: expectation, afterType: 'recording', thenType: 'file-transfer', afterAt: '2025-03-01T10:00:00.000Z', dueAt: '2025-03-01T16:00:00.000Z', state: 'waiting', updatedAt: '2025-03-01T10:00:00.000Z' },
  });
  return createRelayEvent(draft, new Date('2025-03-01T16:00:01Z')).body;
}

describe('routing test cases and previews of relay events', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('a case whose event is a relay.session.overdue body routes by its fields', async () => {
    const r = parseRules(RULES, 'rules.yaml', { env: {} });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const path = join(tmp.dir, 'cases.yaml');
    writeFileSync(
      path,
      `cases:
  - name: bucket overdue pages
    event: ${JSON.stringify(overdueBody('files delivered to our bucket'))}
    expect: { destinations: [pager, ops], routes: [overdue to the pager, the rest] }
  - name: another overdue does not
    event: ${JSON.stringify(overdueBody('recording after the session ends'))}
    expect: { destinations: [pager] }
`,
    );
    const loaded = await loadCases(path);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const results = runCases(loaded.cases, r.rules);
    expect(results.map((c) => [c.name, c.passed])).to.deep.equal([
      ['bucket overdue pages', true],
      ['another overdue does not', false],
    ]);
    expect(results[1]!.problems[0]).to.include('expected [pager], got [ops]');
  });

  it('the preview takes a relay event as the relay would have made it; the webhook still refuses it', () => {
    const raw = Buffer.from(JSON.stringify(overdueBody('x')));
    const e = acceptPreviewPayload(raw, 'application/json', new Date('2025-03-01T16:00:02Z'));
    expect([e.type, e.appId, e.roomId, e.confNum, e.files]).to.deep.equal(['relay.session.overdue', '64f0a1', 'r', '1', []]);
    expect(() => acceptPayload(raw, 'application/json', new Date())).to.throw(ReservedTypeError);
  });
});
