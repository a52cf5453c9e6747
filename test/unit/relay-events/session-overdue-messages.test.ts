import { expect } from 'chai';
import { buildMail } from '../../../src/delivery/email/build-mail.js';
import { logLine } from '../../../src/delivery/log/log-line.js';
import { describeEvent } from '../../../src/delivery/messages/describe-event.js';
import { buildSlackMessage } from '../../../src/delivery/slack/build-slack-message.js';
import { eventView } from '../../../src/domain/event-view.js';
import type { RelayEvent } from '../../../src/domain/event.js';
import { createRelayEvent } from '../../../src/relay-events/create-relay-event.js';
import { formatWithin, overdueDraft, recoveredDraft } from '../../../src/relay-events/types/session-overdue.js';
import { formatSessionKey } from '../../../src/sessions/session-key.js';
import type { DueWatch } from '../../../src/sessions/session-types.js';
import { slackLimitProblem } from '../../support/fake-slack.js';

function due(over: { appId?: string; roomId?: string; confNum?: string; name?: string; typesSeen?: string[] } = {}): DueWatch {
  const id = { appId: over.appId ?? '64f0c1a2e7b9d81f2c3a4b5c', roomId: over.roomId ?? '6750a8f1c2d3e4f5a6b7c8d9', confNum: over.confNum ?? '917345201' };
  return {
    ...id,
    key: formatSessionKey(id),
    thenSeen: false,
    typesSeen: over.typesSeen ?? ['roomdrop'],
    watch: { name: over.name ?? 'recording after the session ends', afterType: 'roomdrop', thenType: 'recording', afterAt: '2024-11-27T10:00:00.000Z', dueAt: '2024-11-27T12:00:00.000Z', state: 'waiting', updatedAt: '2024-11-27T10:00:00.000Z' },
  };
}

const overdue = (d = due()): RelayEvent => createRelayEvent(overdueDraft(d), new Date('2024-11-27T12:00:05Z'));
const recovered = (d = due()): RelayEvent => createRelayEvent(recoveredDraft(d, '2024-11-27T13:30:00.000Z'), new Date('2024-11-27T13:30:05Z'));

describe('the built-in messages of relay.session.overdue and .recovered', () => {
  it('overdue: `arrived` lists EnableX\'s types whatever else came, and at most 20 types, of a session with thousands', () => {
    const made = Array.from({ length: 5000 }, (_, i) => `a-${String(i).padStart(4, '0')}`);
    const e = overdue(due({ typesSeen: [...made, 'relay.recording.mirrored', 'relay.session.overdue', 'roomdrop', 'transcoded'] }));
    const arrived = e.body.arrived as string[];
    expect(arrived).to.have.length(20);
    expect(arrived).to.include.members(['roomdrop', 'transcoded']);
    expect(arrived).to.not.include('relay.session.overdue');
    expect([...arrived].sort()).to.deep.equal(arrived);
    expect(e.raw.length).to.be.below(4000);
  });

  it('overdue: what is missing, since when, what arrived; in Slack within its limits, in mail, in a log line', () => {
    const e = overdue();
    expect(e.type).to.equal('relay.session.overdue');
    expect([e.appId, e.roomId, e.confNum]).to.deep.equal(['64f0c1a2e7b9d81f2c3a4b5c', '6750a8f1c2d3e4f5a6b7c8d9', '917345201'], 'the session fields: it joins the session thread');
    const d = describeEvent(eventView(e));
    expect(d.title).to.equal('Overdue: recording missing');
    expect(d.headline).to.equal('No recording event came for room 6750a8f1c2d3e4f5a6b7c8d9 (conference 917345201) within 2h of its roomdrop (expectation "recording after the session ends").');
    expect(d.facts.map((f) => `${f.label}=${f.value}`)).to.include.members(['Missing=recording', 'Waiting since (roomdrop)=2024-11-27T10:00:00.000Z', 'Was due=2024-11-27T12:00:00.000Z', 'Arrived=roomdrop']);
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
    const mail = buildMail(d, e.id);
    expect(mail.subject).to.include('Overdue: recording missing');
    expect(mail.text).to.include('expectation "recording after the session ends"');
    expect(logLine(e)).to.include('recording missing 2h after roomdrop (since 2024-11-27T10:00:00.000Z) for "recording after the session ends"');
  });

  it('recovered: the awaited event came, when, and how late', () => {
    const d = describeEvent(eventView(recovered()));
    expect(d.title).to.equal('Recovered: recording arrived');
    expect(d.headline).to.include('came after all, later than 2h after its roomdrop');
    expect(d.facts.map((f) => `${f.label}=${f.value}`)).to.include('Arrived at=2024-11-27T13:30:00.000Z');
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
    expect(logLine(recovered())).to.include('recording arrived late for "recording after the session ends"');
  });

  it('session fields, types and the expectation name from the event and the rules stay inert in Slack and mail', () => {
    const evil = due({ roomId: '<!channel> *bold* <https://evil|click>', name: '<@U123> & <b>x</b>', typesSeen: ['roomdrop', '<!here>'] });
    const d = describeEvent(eventView(overdue(evil)));
    const blocks = JSON.stringify(buildSlackMessage(d).blocks);
    expect(blocks).to.not.include('<!channel>').and.not.include('<@U123>').and.not.include('<!here>').and.not.include('<https://evil');
    const mail = buildMail(d, 'id');
    expect(mail.html).to.not.include('<b>x</b>').and.not.include('<!channel>');
    expect(logLine(overdue(evil))).to.not.match(/[\n\r]/);
  });

  it('the announcements are once per session and expectation, the recovery once after it', () => {
    const a = overdueDraft(due());
    expect(a.once).to.equal(`${due().key}:recording after the session ends`);
    expect(recoveredDraft(due(), null).once).to.equal(`${due().key}:recording after the session ends:recovered`);
    expect(overdueDraft(due({ name: 'other' })).once).to.not.equal(a.once);
  });

  it('within as the rules write it', () => {
    expect([7_200_000, 90_000, 1500, 86_400_000, 0].map(formatWithin)).to.deep.equal(['2h', '90s', '1500ms', '1d', '0ms']);
  });
});
