import { expect } from 'chai';
import { buildMail } from '../../../src/delivery/email/build-mail.js';
import { logLine } from '../../../src/delivery/log/log-line.js';
import { describeEvent } from '../../../src/delivery/messages/describe-event.js';
import { buildSlackMessage } from '../../../src/delivery/slack/build-slack-message.js';
import { statusLine } from '../../../src/delivery/slack/session-status.js';
import { foldSession } from '../../../src/sessions/fold-session.js';
import { sessionFacts } from '../../../src/sessions/session-facts.js';
import { formatSessionKey } from '../../../src/sessions/session-key.js';
import { parseRules } from '../../../src/config/rules.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import { exampleEvents } from '../../../src/ingest/examples.js';
import { routeEvent } from '../../../src/routing/route-event.js';
import { eventView } from '../../../src/domain/event-view.js';
import type { RelayEvent } from '../../../src/domain/event.js';
import { createRelayEvent } from '../../../src/relay-events/create-relay-event.js';
import { mirrorAnnouncement, type MirrorCopy } from '../../../src/relay-events/types/recording-mirror.js';
import { slackLimitProblem } from '../../support/fake-slack.js';
import { fixtureEvent } from '../delivery/fixtures/delivery-fixtures.js';

const SHA = 'a'.repeat(64);
const source = fixtureEvent('recording');

function copy(over: Partial<MirrorCopy>): MirrorCopy {
  return { file_name: 'rec-1.mkv', source_url: 'https://portal.enablex.io/r/rec-1.mkv', status: 'mirrored', location: 's3://enx-recordings/enablex/64f0/rec-1.mkv', size: 48213377, sha256: SHA, ...over };
}

function announced(copies: MirrorCopy[]): RelayEvent {
  const draft = mirrorAnnouncement({ source, destination: 'vault', target: 's3://enx-recordings/enablex/', copies, expiresAt: '2024-11-30T09:47:51.000Z' });
  if (!draft) throw new Error('nothing announced');
  return createRelayEvent(draft, new Date('2024-11-27T10:00:00Z'));
}

describe('the built-in messages of mirror announcements', () => {
  it('nothing is announced while files are still being tried and none failed', () => {
    expect(mirrorAnnouncement({ source, destination: 'vault', target: 't', copies: [copy({}), copy({ status: 'pending' })], expiresAt: null })).to.equal(null);
  });

  it('mirrored: where each file now is, its size and SHA-256; in Slack within its limits, in mail, in a log line', () => {
    const e = announced([copy({}), copy({ file_name: 'rec-2.mkv', location: 's3://enx-recordings/enablex/64f0/rec-2.mkv', link: 'https://enx-recordings.s3.amazonaws.com/x?X-Amz-Signature=1', link_expires_at: '2024-12-04T10:00:00.000Z' })]);
    expect(e.type).to.equal('relay.recording.mirrored');
    const d = describeEvent(eventView(e));
    expect(d.title).to.equal('Recording mirrored');
    expect(d.headline).to.equal(`2 files of room ${source.roomId} (conference ${source.confNum}) were copied to vault (s3://enx-recordings/enablex/).`);
    const slack = buildSlackMessage(d);
    expect(slackLimitProblem({ ...slack })).to.equal(null);
    const blocks = JSON.stringify(slack.blocks);
    expect(blocks).to.include('`s3://enx-recordings/enablex/64f0/rec-1.mkv` · 46.0 MiB · sha256 ' + SHA);
    expect(blocks).to.include('<https://enx-recordings.s3.amazonaws.com/x?X-Amz-Signature=1|rec-2.mkv> · 46.0 MiB');
    expect(blocks).to.include('*Links work until*');
    const mail = buildMail(d, e.id);
    expect(mail.subject).to.equal(`Recording mirrored: room ${source.roomId}, conference ${source.confNum}`);
    expect(mail.text).to.include(`sha256 ${SHA}`).and.include('s3://enx-recordings/enablex/64f0/rec-1.mkv');
    expect(mail.html).to.include('<a href="https://enx-recordings.s3.amazonaws.com/x?X-Amz-Signature=1">rec-2.mkv</a>');
    expect(logLine(e)).to.match(/^recording mirrored · app 64f0c1a2e7b9d81f2c3a4b5c · room .* · 2 files \(92\.0 MiB\) to s3:\/\/enx-recordings\/enablex\/: s3:\/\/.*rec-1\.mkv s3:\/\/.*rec-2\.mkv · at 2024-11-27T10:00:00\.000Z · id /);
  });

  it('mirror_failed: the failed file first, why, and what the admin can do', () => {
    const e = announced([copy({}), copy({ file_name: 'rec-2.mkv', status: 'failed', size: null, sha256: null, reason: 'source_auth', error: 'the portal refused the recording-access credentials (HTTP 403)' }), copy({ file_name: 'rec-3.mkv', status: 'pending', size: null, sha256: null })]);
    expect(e.type).to.equal('relay.recording.mirror_failed');
    const d = describeEvent(eventView(e));
    expect(d.title).to.equal('Recording copy failed');
    expect(d.headline).to.equal(`1 of 3 files of room ${source.roomId} (conference ${source.confNum}) could not be copied to vault: the portal refused the recording-access credentials.`);
    expect(d.files.map((f) => f.name)).to.deep.equal(['rec-2.mkv', 'rec-1.mkv', 'rec-3.mkv']);
    expect(d.notes.join('\n')).to.include('enx-relay replay --status dead --destination vault').and.include('1 more file is still being tried');
    expect(d.facts.map((f) => `${f.label}=${f.value}`)).to.include.members(['Failed=1', 'Copied=1', 'Still trying=1', 'Portal links expire=2024-11-30T09:47:51.000Z']);
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
    expect(logLine(e)).to.include('1 of 3 files failed to s3://enx-recordings/enablex/: rec-2.mkv (source_auth)');
  });

  it('file names and URLs from the event stay inert in Slack and mail', () => {
    const evil = copy({ file_name: '<!channel> <https://evil|click>.mkv', location: 's3://b/<@U123>&.mkv', status: 'failed', reason: 'not_found', error: '<!here>' });
    const d = describeEvent(eventView(announced([evil])));
    const blocks = JSON.stringify(buildSlackMessage(d).blocks);
    expect(blocks).to.not.include('<!channel>').and.not.include('<@U123>').and.not.include('<!here>').and.not.include('<https://evil');
    const mail = buildMail(d, 'id');
    expect(mail.html).to.not.include('<!channel>').and.not.include('<@U123>');
  });

  it('the session thread\'s status line says where it was copied, or that the copy failed', () => {
    const record = (events: RelayEvent[]) =>
      foldSession(formatSessionKey(source), { appId: source.appId, roomId: source.roomId, confNum: source.confNum }, events.map((e) => ({ eventId: e.id, type: e.type, receivedAt: e.receivedAt, factKey: e.dedupeKey, facts: sessionFacts(e) })), []);
    const copied = announced([copy({})]);
    expect(statusLine(record([source, copied]))).to.equal('2 recordings ready 10:30 · copied to vault · times UTC');
    const failed = announced([copy({}), copy({ file_name: 'rec-2.mkv', source_url: 'https://portal.enablex.io/r/rec-2.mkv', status: 'failed', reason: 'expired' })]);
    expect(statusLine(record([source, copied, failed]))).to.equal('2 recordings ready 10:30 · copied 1 of 2 files to vault · copy to vault failed · times UTC');
  });
});

describe('routing mirror announcements by their fields', () => {
  it('a route can pick failures by the reason of a copy (the README\'s example)', () => {
    const r = parseRules(
      `version: 1\ndestinations:\n  media-team: { log: {} }\n  archive: { log: {} }\nroutes:\n  - name: copies\n    when: { type: relay.recording.mirrored }\n    to: archive\n  - name: failed\n    when: { type: relay.recording.mirror_failed, "copies.reason": source_auth }\n    to: media-team\n`,
      'rules.yaml',
      { env: {}, kinds: destinationKinds, examples: exampleEvents() },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const to = (e: RelayEvent): string[] => routeEvent(r.rules, eventView(e)).deliveries.map((d) => d.destination);
    expect(to(announced([copy({})]))).to.deep.equal(['archive']);
    expect(to(announced([copy({}), copy({ status: 'failed', reason: 'source_auth' })]))).to.deep.equal(['media-team']);
    expect(to(announced([copy({ status: 'failed', reason: 'expired' })]))).to.deep.equal([]);
  });
});
