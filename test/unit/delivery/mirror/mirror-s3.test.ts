import { expect } from 'chai';
import { FakePortal, sha256Of } from '../../../support/fake-portal.js';
import { S3Sink, S3_CREDENTIALS } from '../../../support/s3-sink.js';
import { fixtureEvent } from '../fixtures/delivery-fixtures.js';
import { mirrorHarness, type MirrorHarness } from './mirror-harness.js';

const MB = 1024 * 1024;

function rules(sink: S3Sink, extra = ''): string {
  return `version: 1
destinations:
  vault:
    mirror:
      to: s3://${sink.bucket}/enablex/
      source_auth: { username: rec, password: pw }
      force_path_style: true
      stall_timeout: 2s
      retry: { schedule: [1m, 10m] }
${extra}
  console:
    log: {}
routes:
  - name: keep
    when: { type: [recording, transcoded] }
    to: vault
  - name: news
    when: { type: "relay.*" }
    to: console
`;
}

/** The SDK reads its settings from the process environment, the AWS way: set them for these tests. */
function withAwsEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
}

describe('mirror to S3-compatible storage (s3rver)', function () {
  this.timeout(30_000);
  let portal: FakePortal;
  let sink: S3Sink;
  let h: MirrorHarness | null = null;
  let restore: () => void;

  beforeEach(async () => {
    portal = await FakePortal.start({ username: 'rec', password: 'pw' });
    sink = await S3Sink.start();
    restore = withAwsEnv({ ...S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: sink.endpoint });
  });
  afterEach(async () => {
    await h?.close();
    h = null;
    restore();
    await sink.close();
    await portal.close();
  });

  it('uploads a large file in parts, each carrying a SHA-256 the store checks, and records the whole file\'s SHA-256', async () => {
    h = await mirrorHarness(rules(sink));
    const size = 21 * MB + 3;
    const url = portal.file('/rec/x/rec-1.mkv', { size });
    const event = fixtureEvent('recording', { recording: [url] });
    await h.ingest(event);
    await h.drain();
    const key = `enablex/${event.appId}/${event.roomId}/${event.confNum}/rec-1.mkv`;
    expect(await sink.keys()).to.deep.equal([key]);
    expect(await sink.sha256(key)).to.equal(sha256Of(size));
    const parts = sink.writes();
    expect(parts.length).to.equal(3, '8 MiB parts');
    expect(parts.every((p) => p.query.includes('partNumber=') && p.checksumOk === true)).to.equal(true, 'every part checked against its SHA-256');
    expect((await sink.head(key))!.metadata).to.have.property('enx-relay-delivery');
    const [news] = await h.relayEvents();
    expect(news!.type).to.equal('relay.recording.mirrored');
    expect((news!.body as any).copies[0]).to.include({ location: `s3://${sink.bucket}/${key}`, size, sha256: sha256Of(size) });
    expect((news!.body as any).target).to.equal(`s3://${sink.bucket}/enablex/`);
  });

  it('a small file is one PutObject, also checksummed; the `endpoint` option works without AWS_ENDPOINT_URL_S3', async () => {
    restore();
    restore = withAwsEnv(S3_CREDENTIALS);
    h = await mirrorHarness(rules(sink, `      endpoint: ${sink.endpoint}`));
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/y/rec-1.mkv', { size: 100_000 })] });
    await h.ingest(event);
    await h.drain();
    const writes = sink.writes();
    expect(writes).to.have.length(1);
    expect(writes[0]!.query).to.not.include('partNumber');
    expect(writes[0]!.checksumOk).to.equal(true);
  });

  it('a copy already in the bucket with the same size is not uploaded again', async () => {
    h = await mirrorHarness(rules(sink));
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/z/rec-1.mkv', { size: 9 * MB })] });
    await h.ingest(event);
    await h.drain();
    const writes = sink.writes().length;
    await h.store.replay({ eventId: event.id, now: h.clock.now() });
    await h.drain();
    expect(sink.writes().length).to.equal(writes, 'no new part, no new object');
  });

  it('with presign, the announcement carries an HTTPS-able link to the copy that works', async () => {
    h = await mirrorHarness(rules(sink, '      presign: 1h'));
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/p/rec-1.mkv', { size: 300_000 })] });
    await h.ingest(event);
    await h.drain();
    const copy = ((await h.relayEvents())[0]!.body as any).copies[0];
    expect(copy.link).to.match(/X-Amz-Signature=/);
    expect(Date.parse(copy.link_expires_at) - h.clock.ms).to.equal(3600_000);
    const res = await fetch(copy.link);
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).length).to.equal(300_000);
  });

  it('the bucket refusing the credentials: dead with reason target_auth, announced', async () => {
    h = await mirrorHarness(rules(sink));
    sink.refuse(403);
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/d/rec-1.mkv', { size: 100_000 })] });
    await h.ingest(event);
    await h.runDue();
    const [d] = await h.deliveries(event.id, 'vault');
    expect(d!.status).to.equal('dead');
    expect(d!.lastError).to.match(/^auth: target_auth: writing s3:\/\/.*: S3 AccessDenied \(HTTP 403\)/);
    expect((await h.relayEvents()).map((e) => e.type)).to.deep.equal(['relay.recording.mirror_failed']);
  });

  it('a store error mid-upload: retried; the cut-off multipart upload is not completed', async () => {
    h = await mirrorHarness(rules(sink));
    const size = 17 * MB;
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/e/rec-1.mkv', { size })] });
    await h.ingest(event);
    // The SDK retries one request a few times itself (maxAttempts 3): refuse every write for now.
    sink.refuse(500, 1000);
    await h.runDue();
    sink.accept();
    const [d] = await h.deliveries(event.id, 'vault');
    expect(d!.status).to.equal('pending');
    expect(d!.lastError).to.match(/^target: writing s3:\/\/.*: S3 InternalError \(HTTP 500\)/);
    expect(await sink.keys()).to.deep.equal([]);
    await h.drain();
    expect(await sink.sha256((await sink.keys())[0]!)).to.equal(sha256Of(size));
  });

  it('a portal cut mid-file during a multipart upload: no object is completed, and the retry makes a whole one', async () => {
    h = await mirrorHarness(rules(sink));
    const size = 40 * MB;
    // Cut well past the first 8 MiB part: the multipart upload has begun whatever the relay
    // still held unread (up to a few read buffers) when it saw the cut.
    const event = fixtureEvent('recording', { recording: [portal.file('/rec/f/rec-1.mkv', { size, cutAfter: 30 * MB, faultyTimes: 1 })] });
    await h.ingest(event);
    await h.runDue();
    expect((await h.deliveries(event.id, 'vault'))[0]!.lastError).to.match(/^truncated: /);
    expect(await sink.keys()).to.deep.equal([]);
    expect(sink.requests.some((r) => r.method === 'DELETE' && r.query.includes('uploadId='))).to.equal(true, 'lib-storage asked to abort the upload');
    await h.drain();
    expect(await sink.sha256((await sink.keys())[0]!)).to.equal(sha256Of(size));
  });
});
