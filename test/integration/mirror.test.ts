import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { FakePortal, sha256Of } from '../support/fake-portal.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { tempDir } from '../support/temp-dir.js';

const MB = 1024 * 1024;

/** The whole relay: an EnableX event in, the files copied, the copy announced where the rules say. */
describe('mirroring end to end', function () {
  this.timeout(30_000);
  let portal: FakePortal;
  let slack: FakeSlack;
  let smtp: SmtpSink;
  let copies: ReturnType<typeof tempDir>;
  let t: TestRelay;

  before(async () => {
    portal = await FakePortal.start({ username: 'rec-user', password: 'rec-pass-secret' });
    slack = await FakeSlack.start({ tokens: ['xoxb-test-token'] });
    smtp = await SmtpSink.start();
    copies = tempDir('enx-copies-');
    t = await startTestRelay({
      rules: `version: 1
destinations:
  vault:
    mirror:
      to: file://${copies.dir}
      source_auth: { username: "\${ENX_REC_USER}", password: "\${ENX_REC_PASSWORD}" }
  video-ops:
    slack: { channel: "#video-ops" }
  media-team:
    email: { to: [media@example.com] }
routes:
  - name: keep every recording
    when: { type: [recording, transcoded] }
    to: vault
  - name: tell ops
    when: { type: [recording, relay.recording.mirrored, relay.recording.mirror_failed] }
    to: video-ops
  - name: tell the media team about failures
    when: { type: relay.recording.mirror_failed }
    to: media-team
`,
      env: {
        ENX_REC_USER: 'rec-user',
        ENX_REC_PASSWORD: 'rec-pass-secret',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        RELAY_SLACK_API_URL: slack.url,
        RELAY_SMTP_URL: smtp.url(),
        RELAY_INGEST_USER: 'enablex',
        RELAY_INGEST_PASSWORD: 'ingest-pass',
      },
    });
  });
  after(async () => {
    await t.stop();
    await portal.close();
    await slack.close();
    await smtp.close();
    copies.cleanup();
  });

  const auth = { authorization: `Basic ${Buffer.from('enablex:ingest-pass').toString('base64')}` };
  const now = (): number => Math.floor(Date.now() / 1000);

  it('copies the files and posts the announcement in the session\'s Slack thread, after the recording', async () => {
    const files = [portal.file('/s1/rec-1.mkv', { size: 5 * MB }), portal.file('/s1/rec-2.mkv', { size: MB + 1 })];
    const body = { type: 'recording', trans_date: now(), app_id: 'app-1', room_id: 'room-1', conf_num: '41', recording: files };
    const res = await t.post(JSON.stringify(body), auth);
    expect(res.status).to.equal(200);
    expect(res.body.deliveries).to.equal(3, 'two files, one Slack message');
    await eventually(() => expect(slack.posted()).to.have.length(2), 15_000);
    const [parent, reply] = slack.posted();
    expect(parent!.thread_ts).to.equal(undefined);
    expect(parent!.text).to.match(/^Recording ready/);
    expect(reply!.thread_ts).to.equal(parent!.ts, 'in the session\'s thread');
    expect(reply!.text).to.match(/^Recording mirrored: 2 files of room room-1 \(conference 41\) were copied to vault/);
    expect(JSON.stringify(reply!.blocks)).to.include(`sha256 ${sha256Of(5 * MB)}`);
    await eventually(() => expect(slack.messages.get(parent!.ts)!.text).to.equal(parent!.text));
    await eventually(() => expect(JSON.stringify(slack.messages.get(parent!.ts)!.blocks)).to.include('copied to vault'));
    const copy = readFileSync(join(copies.dir, 'app-1', 'room-1', '41', 'rec-1.mkv'));
    expect(createHash('sha256').update(copy).digest('hex')).to.equal(sha256Of(5 * MB));
    expect(smtp.mails).to.have.length(0, 'nothing failed');
    // The password reached the portal, and nothing else: not the logs, not Slack.
    const everything = [...t.logs.lines, ...slack.calls.map((c) => JSON.stringify(c.args))].join('\n');
    expect(everything).to.not.include('rec-pass-secret');
  });

  it('a refused download is announced in the thread and by mail, and the delivery is dead with reason source_auth', async () => {
    const file = portal.file('/s2/rec-1.mkv', { size: MB, status: 403 });
    const res = await t.post(JSON.stringify({ type: 'recording', trans_date: now(), app_id: 'app-1', room_id: 'room-2', conf_num: '7', recording: [file] }), auth);
    await eventually(() => expect(smtp.mails).to.have.length(1), 15_000);
    expect(smtp.mails[0]!.parsed.subject).to.equal('Recording copy failed: room room-2, conference 7');
    expect(smtp.mails[0]!.parsed.text).to.include('source_auth').and.include('enx-relay replay --status dead --destination vault');
    const vault = (await t.relay.store.listDeliveries(res.body.id)).find((d) => d.destination === 'vault')!;
    expect(vault.status).to.equal('dead');
    expect(vault.lastError).to.match(/^source_auth: source_auth: /);
    await eventually(() => expect(slack.posted().filter((m) => /copy failed/.test(m.text))).to.have.length(1));
  });

  it('EnableX cannot forge a relay event: 422 reserved_type, kept in the rejected log, nothing routed', async () => {
    const forged = JSON.stringify({ type: 'relay.recording.mirrored', trans_date: now(), app_id: 'app-1', room_id: 'room-1', conf_num: '41', copies: [] });
    const before = (await t.relay.store.stats()).pending;
    const res = await t.post(forged, auth);
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('reserved_type');
    expect(res.body.error.message).to.equal('type "relay.recording.mirrored" is reserved for the relay\'s own events (relay.*): EnableX cannot send it');
    const [kept] = await t.relay.store.listRejected(1);
    expect(kept!.code).to.equal('reserved_type');
    expect((await t.relay.store.stats()).pending).to.equal(before);
  });
});
