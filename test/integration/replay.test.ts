import { expect } from 'chai';
import { adminClient } from '../support/admin-client.js';
import { eventually } from '../support/eventually.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { SmtpSink } from '../support/smtp-sink.js';

const ADMIN_TOKEN = 'replay-admin-token-5c21e9';
const session = { app_id: 'app-replay', room_id: 'room-replay', conf_num: '7001' };

/**
 * What a replay sends, through the whole relay (worker, store, admin API): a delivered delivery
 * replayed is a new message for every kind; a dead one replayed is the same message again.
 */
describe('replay end to end: what each kind sends again', function () {
  this.timeout(30_000);
  let t: TestRelay;
  let rx: ScriptedReceiver;
  let slack: FakeSlack;
  let smtp: SmtpSink;
  const admin = adminClient(() => t.relay.url, ADMIN_TOKEN, { ADMIN_TOKEN });

  before(async () => {
    rx = await startScriptedReceiver();
    slack = await FakeSlack.start({ tokens: ['xoxb-replay-token'] });
    smtp = await SmtpSink.start();
    t = await startTestRelay({
      rules: `version: 1
destinations:
  sink:
    http: { url: "${rx.url}/hooks", body: original, timeout: 2s }
  video-ops:
    slack: { channel: "#video-ops" }
  media-team:
    email: { to: [media@example.com] }
  console:
    log: {}
routes:
  - name: everything
    to: [sink, video-ops, media-team, console]
retry: { schedule: [100ms, 200ms] }
`,
      env: { RELAY_ADMIN_TOKEN: ADMIN_TOKEN, SLACK_BOT_TOKEN: 'xoxb-replay-token', RELAY_SLACK_API_URL: slack.url, RELAY_SMTP_URL: smtp.url() },
    });
  });
  after(async () => {
    await t.stop();
    await rx.close();
    await slack.close();
    await smtp.close();
  });

  const ingest = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.post(JSON.stringify({ trans_date: 1732700512, ...session, ...body }));
    expect(res.status).to.equal(200);
    return res.body.id as string;
  };
  const deliveries = async (id: string): Promise<{ destination: string; id: string; status: string; replays: number }[]> =>
    (await admin.request('GET', `/admin/events/${id}`)).body.deliveries;
  const settled = (id: string, statuses: string[]) => eventually(async () => expect((await deliveries(id)).map((d) => d.status)).to.deep.equal(statuses), 15_000);
  const consoleLines = (id: string): number => t.out.lines.filter((l) => l.includes(id)).length;

  it('a delivered delivery replayed is a new message: a new webhook-id, a new Slack post in the thread, a new mail in the thread, a new log line', async () => {
    const drop = await ingest({ type: 'roomdrop' });
    const rec = await ingest({ type: 'recording', recording: ['https://portal.enablex.io/rec/7001/rec-1.mkv'] });
    await settled(drop, ['delivered', 'delivered', 'delivered', 'delivered']);
    await settled(rec, ['delivered', 'delivered', 'delivered', 'delivered']);
    const sinkOf = async (id: string) => (await deliveries(id)).find((d) => d.destination === 'sink')!;
    const first = await sinkOf(rec);
    expect(rx.requests.map((r) => r.headers['webhook-id'])).to.include(first.id);
    const [parent] = slack.posted();
    const statusBefore = JSON.stringify(slack.messages.get(parent!.ts)!.blocks!.at(-1));
    expect(consoleLines(rec)).to.equal(1);

    const replayed = await admin.request('POST', '/admin/replay', { body: { eventId: rec } });
    expect(replayed.body).to.deep.equal({ replayed: 4, dryRun: false });
    await eventually(() => {
      expect(rx.requests).to.have.length(3);
      expect(slack.posted()).to.have.length(3);
      expect(smtp.mails).to.have.length(3);
      expect(consoleLines(rec)).to.equal(2);
    }, 15_000);
    await settled(rec, ['delivered', 'delivered', 'delivered', 'delivered']);
    expect((await deliveries(rec)).map((d) => d.replays)).to.deep.equal([1, 1, 1, 1]);

    // HTTP: the same bytes under a webhook-id of its own, so a receiver that deduplicates keeps it.
    const [, firstRec, again] = rx.requests;
    expect(again!.headers['webhook-id']).to.be.a('string').and.not.equal(first.id);
    expect(again!.headers['idempotency-key']).to.equal(again!.headers['webhook-id']);
    expect(again!.body.equals(firstRec!.body)).to.equal(true);
    // Slack: posted again as a reply in the session's thread; the status line still counts one recording.
    const repost = slack.posted()[2]!;
    expect(repost.thread_ts).to.equal(parent!.ts);
    expect(repost.text).to.match(/^Recording ready/);
    expect(JSON.stringify(slack.messages.get(parent!.ts)!.blocks!.at(-1))).to.equal(statusBefore);
    // Email: a new Message-ID, in the session's mail thread.
    const [rootMail, , mailAgain] = smtp.mails.map((m) => m.parsed);
    expect(new Set(smtp.mails.map((m) => m.parsed.messageId)).size).to.equal(3);
    expect(mailAgain!.inReplyTo).to.equal(rootMail!.messageId);
  });

  it('a dead delivery replayed is the same message again: the webhook-id its attempts had', async () => {
    rx.setDefault({ status: 410, body: 'gone' });
    const id = await ingest({ type: 'roomdrop', conf_num: '7002' });
    await eventually(async () => expect((await deliveries(id)).find((d) => d.destination === 'sink')!.status).to.equal('dead'), 15_000);
    const refused = rx.requests.at(-1)!;
    rx.setDefault({ status: 200 });
    expect((await admin.request('POST', '/admin/replay', { body: { status: 'dead', destination: 'sink' } })).body.replayed).to.equal(1);
    await eventually(async () => expect((await deliveries(id)).find((d) => d.destination === 'sink')!.status).to.equal('delivered'), 15_000);
    const delivered = rx.requests.at(-1)!;
    expect(delivered).to.not.equal(refused);
    expect(delivered.headers['webhook-id']).to.equal(refused.headers['webhook-id']);
    expect((await deliveries(id)).find((d) => d.destination === 'sink')!.replays).to.equal(0);
  });
});
