import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { eventually } from '../support/eventually.js';
import { FakePortal, sha256Of } from '../support/fake-portal.js';
import { FakeSlack } from '../support/fake-slack.js';
import { S3Sink } from '../support/s3-sink.js';
import { tempDir } from '../support/temp-dir.js';

const MB = 1024 * 1024;

/**
 * Promise 1 for a mirror: the built relay (dist/main.js) is killed with SIGKILL in the middle of
 * a large multipart upload, and restarted on the same database. The file ends mirrored once,
 * whole, with the right checksum; the multipart upload the killed relay left is aborted (as far
 * as the store allows: s3rver cannot); and the announcement reaches Slack once, in the session's
 * thread.
 */
describe('SIGKILL in the middle of a multipart upload', function () {
  this.timeout(90_000);
  let portal: FakePortal;
  let sink: S3Sink;
  let slack: FakeSlack;
  let tmp: ReturnType<typeof tempDir>;
  const relays: ChildRelay[] = [];

  before(async () => {
    portal = await FakePortal.start({ username: 'rec', password: 'rec-pass' });
    sink = await S3Sink.start();
    slack = await FakeSlack.start({ tokens: ['xoxb-test-token'] });
    tmp = tempDir();
  });
  after(async () => {
    for (const r of relays) await r.kill('SIGKILL');
    await portal.close();
    await sink.close();
    await slack.close();
    tmp.cleanup();
  });

  it('ends with one whole object, and one announcement in the thread', async () => {
    const size = 40 * MB + 123;
    // The first transfer stops after 30 MiB (the connection left open), so the relay is surely in
    // the middle of its multipart upload when it is killed; the next one is whole.
    const url = portal.file('/k/rec-1.mkv', { size, stallAfter: 30 * MB, faultyTimes: 1 });
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(
      rules,
      `version: 1
destinations:
  vault:
    mirror:
      to: s3://${sink.bucket}/enablex/
      source_auth: { username: rec, password: "\${ENX_REC_PASSWORD}" }
      force_path_style: true
      retry: { schedule: [1s, 1s, 1s] }
  video-ops:
    slack: { channel: "#video-ops" }
routes:
  - name: keep
    when: { type: [recording, transcoded] }
    to: vault
  - name: tell
    when: { type: [recording, relay.recording.mirrored] }
    to: video-ops
`,
    );
    const env = {
      ...sink.env(),
      RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`,
      RELAY_RULES: rules,
      RELAY_LEASE: '1s',
      ENX_REC_PASSWORD: 'rec-pass',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      RELAY_SLACK_API_URL: slack.url,
    };
    const first = await startChildRelay(env);
    relays.push(first);
    const event = { type: 'recording', trans_date: Math.floor(Date.now() / 1000), app_id: 'app-9', room_id: 'room-9', conf_num: '99', recording: [url] };
    const res = await fetch(`${first.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify(event) });
    expect(res.status).to.equal(200);
    // Parts are up, the rest of the file is not there yet: kill it there.
    await eventually(() => expect(sink.writes().filter((w) => w.query.includes('partNumber='))).to.have.length.greaterThan(1), 20_000, 20);
    expect(portal.bytesSent('/k/rec-1.mkv')).to.be.at.most(30 * MB);
    await first.kill('SIGKILL');
    expect(sink.requests.filter((r) => r.method === 'POST' && r.query.startsWith('uploadId='))).to.deep.equal([], 'the upload was never completed');
    const killedUpload = /uploadId=([^&]+)/.exec(sink.writes().find((w) => w.query.includes('uploadId='))!.query)![1]!;
    expect(await sink.keys()).to.deep.equal([], 'nothing completed before the kill');

    const second = await startChildRelay(env);
    relays.push(second);
    const key = `enablex/app-9/room-9/99/rec-1.mkv`;
    await eventually(async () => expect(await sink.keys()).to.deep.equal([key]), 40_000, 200);
    expect(await sink.sha256(key)).to.equal(sha256Of(size));
    // The restarted relay tried to abort what the killed one had begun.
    expect(sink.requests.some((r) => r.method === 'DELETE' && r.query.includes(`uploadId=${killedUpload}`))).to.equal(true);
    // Every part of every attempt was checked against its SHA-256.
    expect(sink.writes().every((w) => w.checksumOk === true)).to.equal(true);

    await eventually(() => expect(slack.posted()).to.have.length(2), 20_000);
    const [parent, reply] = slack.posted();
    expect(parent!.text).to.match(/^Recording ready/);
    expect(reply!.thread_ts).to.equal(parent!.ts);
    expect(reply!.text).to.match(/^Recording mirrored: 1 file of room room-9 \(conference 99\) was copied to vault/);
    // And it stays at one: nothing is re-sent or re-announced.
    await new Promise((r) => setTimeout(r, 1000));
    expect(slack.posted()).to.have.length(2);
    expect(await sink.keys()).to.deep.equal([key]);
    expect(await second.kill('SIGTERM')).to.equal(0);
  });
});
