import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { FakeSlack } from '../support/fake-slack.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { eventually } from '../support/eventually.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/enablex/${name}`, import.meta.url));
const SESSION = ['roomdrop', 'recording', 'transcoded', 'file-transfer'];

/** One video session through the whole relay to a fake Slack and a real SMTP server. */
describe('slack and email end to end', function () {
  this.timeout(30_000);
  let t: TestRelay;
  let slack: FakeSlack;
  let smtp: SmtpSink;

  before(async () => {
    slack = await FakeSlack.start({ tokens: ['xoxb-relay-secret'] });
    smtp = await SmtpSink.start({ user: 'relay', password: 'smtp-pass-secret' });
    t = await startTestRelay({
      rules: `version: 1
destinations:
  video-ops:
    slack: { channel: "#video-ops" }
  media-team:
    email: { to: [media@example.com] }
routes:
  - name: everything
    to: [video-ops, media-team]
retry: { schedule: [100ms, 200ms] }
`,
      env: {
        SLACK_BOT_TOKEN: 'xoxb-relay-secret',
        RELAY_SLACK_API_URL: slack.url,
        RELAY_SMTP_URL: smtp.url({ user: 'relay', password: 'smtp-pass-secret' }),
        RELAY_MAIL_FROM: 'enx-relay <relay@example.com>',
      },
    });
  });
  after(async () => {
    await t.stop();
    await slack.close();
    await smtp.close();
  });

  it('threads one session in Slack and by mail, in arrival order', async () => {
    // The four events of one session arrive together: one parent, three replies, in order.
    const answers = await Promise.all(SESSION.map((type) => t.post(fixture(`${type}.json`))));
    for (const a of answers) expect(a.body.deliveries).to.equal(2);
    await eventually(async () => expect((await t.relay.store.stats()).delivered).to.equal(8), 15_000);

    const posts = slack.callsOf('chat.postMessage');
    expect(posts).to.have.length(4);
    expect(posts[0]!.args['thread_ts']).to.equal(undefined);
    const parentTs = slack.posted()[0]!.ts;
    for (const p of posts.slice(1)) expect(p.args['thread_ts']).to.equal(parentTs);
    // The posting order follows the order EnableX's events were accepted.
    const texts = posts.map((p) => String(p.args['text']));
    expect(texts[0]).to.match(/ended/i);
    expect(texts[1]).to.match(/recording/i);
    expect(texts[2]).to.match(/transcoded/i);
    expect(texts[3]).to.match(/deliver|transfer|S3/i);
    // The parent's status line is drawn from the session's record: whether the parent was posted
    // before the others arrived (then updated) or after (then already whole), it ends up whole.
    const line = JSON.stringify(slack.messages.get(parentTs)!.blocks!.at(-1));
    expect(line).to.match(/\*Session:\* ended 09:41 · 2 recordings ready \d\d:\d\d · transcoded 1 of \? · delivered to S3 · times UTC"/);

    await eventually(() => expect(smtp.mails).to.have.length(4));
    const [first, ...rest] = smtp.mails.map((m) => m.parsed);
    for (const m of rest) {
      expect(m.inReplyTo).to.equal(first!.messageId);
      expect(String(m.references)).to.include(first!.messageId!);
    }
    const rec = smtp.mails.find((m) => /recording/i.test(m.parsed.subject ?? ''))!.parsed;
    expect(rec.text).to.include('rec-1.mkv');
    expect(String(rec.html)).to.match(/<a [^>]*href="https:\/\/portal\.enablex\.io\/recordings\/[^"]+rec-1\.mkv"/);
  });

  it('never logs the Slack token or the SMTP password', () => {
    const all = t.logs.lines.join('\n');
    expect(all).to.not.include('xoxb-relay-secret');
    expect(all).to.not.include('smtp-pass-secret');
  });
});
