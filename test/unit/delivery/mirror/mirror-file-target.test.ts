import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readBuffers } from '../../../../src/delivery/mirror/read-buffers.js';
import { FakePortal, sha256Of } from '../../../support/fake-portal.js';
import { fixtureEvent } from '../fixtures/delivery-fixtures.js';
import { mirrorHarness, type MirrorHarness } from './mirror-harness.js';

const MB = 1024 * 1024;

function rules(dir: string, extra = ''): string {
  return `version: 1
destinations:
  vault:
    mirror:
      to: file://${dir}
      source_auth: { username: rec, password: "s3cret pw" }
      stall_timeout: 500ms
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

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('mirror to a directory', function () {
  this.timeout(20_000);
  let portal: FakePortal;
  let h: MirrorHarness;
  let dir: string;

  beforeEach(async () => {
    portal = await FakePortal.start({ username: 'rec', password: 's3cret pw' });
  });
  afterEach(async () => {
    await h?.close();
    await portal.close();
  });

  async function start(extra = ''): Promise<void> {
    h = await mirrorHarness('version: 1\ndestinations: { x: { log: {} } }\nroutes: []\n');
    dir = join(h.dir, 'recordings');
    await h.close();
    h = await mirrorHarness(rules(dir, extra));
  }

  it('copies every file of a recording, verified, and announces the copies once', async () => {
    await start();
    const a = portal.file('/rec/a/rec-1.mkv', { size: 3 * MB + 17 });
    const b = portal.file('/rec/a/rec-2.mkv', { size: 2 * MB });
    const event = fixtureEvent('recording', { recording: [a, b] });
    await h.ingest(event);
    expect(await h.deliveries(event.id, 'vault')).to.have.length(2, 'one delivery per file');
    const settled = await h.drain();
    expect(settled.filter((s) => s.next === 'delivered')).to.have.length(3, 'two files and the announcement to the console');
    const base = join(dir, event.appId, event.roomId, event.confNum);
    expect(sha(join(base, 'rec-1.mkv'))).to.equal(sha256Of(3 * MB + 17));
    expect(statSync(join(base, 'rec-2.mkv')).size).to.equal(2 * MB);
    expect(readdirSync(base).filter((n) => n.endsWith('.partial'))).to.deep.equal([], 'no temporary file stays');
    // Credentials went to the portal, and only as Basic.
    expect(portal.requests.map((r) => r.authorization)).to.deep.equal([`Basic ${Buffer.from('rec:s3cret pw').toString('base64')}`, `Basic ${Buffer.from('rec:s3cret pw').toString('base64')}`]);

    const news = await h.relayEvents();
    expect(news.map((e) => e.type)).to.deep.equal(['relay.recording.mirrored']);
    const body = news[0]!.body as Record<string, any>;
    expect(body).to.include({ origin: 'enx-relay', app_id: event.appId, room_id: event.roomId, conf_num: event.confNum, target: `file://${dir}`, files_total: 2, files_mirrored: 2 });
    expect(body.cause).to.deep.equal({ event_id: event.id, type: 'recording' });
    expect(body.about).to.deep.equal({ destination: 'vault' });
    expect(body.copies.map((c: any) => [c.status, c.location, c.size, c.sha256])).to.deep.equal([
      ['mirrored', join(base, 'rec-1.mkv'), 3 * MB + 17, sha256Of(3 * MB + 17)],
      ['mirrored', join(base, 'rec-2.mkv'), 2 * MB, sha256Of(2 * MB)],
    ]);
    expect(h.out.lines.join('\n')).to.match(/recording mirrored · app .* · 2 files \(5\.0 MiB\) to file:\/\//);
  });

  it('large files copied side by side, through reused read buffers, are each byte for byte as the portal sent them', async () => {
    await start();
    // Each file is many read buffers long, more than the pool keeps: buffers go round between
    // the transfers, and one reused too early would show as a wrong checksum.
    const sizes = [40 * MB + 1, 40 * MB + 2, 40 * MB + 3];
    const urls = sizes.map((size, i) => portal.file(`/rec/big/rec-${i}.mkv`, { size }));
    const event = fixtureEvent('recording', { recording: urls });
    await h.ingest(event);
    await h.drain();
    const base = join(dir, event.appId, event.roomId, event.confNum);
    for (const [i, size] of sizes.entries()) expect(sha(join(base, `rec-${i}.mkv`))).to.equal(sha256Of(size), `rec-${i}.mkv`);
    const copies = ((await h.relayEvents())[0]!.body as { copies: { sha256: string }[] }).copies;
    expect(copies.map((c) => c.sha256)).to.deep.equal(sizes.map((size) => sha256Of(size)));
    expect(readBuffers.kept).to.be.greaterThan(0, 'the file store gave the buffers back');
  });

  it('does not copy again what is there with the same size: a replay only looks, and announces nothing new', async () => {
    await start();
    const a = portal.file('/rec/b/rec-1.mkv', { size: MB });
    const event = fixtureEvent('recording', { recording: [a] });
    await h.ingest(event);
    await h.drain();
    const copy = join(dir, event.appId, event.roomId, event.confNum, 'rec-1.mkv');
    const before = statSync(copy);
    expect(await h.store.replay({ eventId: event.id, now: h.clock.now() })).to.equal(1, 'the one file');
    const again = await h.drain();
    const file = again.find((s) => s.outcome.kind === 'success' && /already mirrored/.test(s.outcome.detail ?? ''));
    expect(file, 'the file delivery says it found the copy').to.not.equal(undefined);
    // A copy would be a new file renamed into place: the same inode means it was left alone.
    expect(statSync(copy).ino).to.equal(before.ino);
    expect(statSync(copy).mtimeMs).to.equal(before.mtimeMs);
    expect((await h.relayEvents()).map((e) => e.type)).to.deep.equal(['relay.recording.mirrored'], 'announced once');
  });

  it('a transcoded event with file_size is skipped without asking the portal when the copy has that size', async () => {
    await start();
    const url = portal.file('/rec/c/final-1.mp4', { size: 2 * MB });
    const event = fixtureEvent('transcoded', { recording: url, file_size: String(2 * MB) });
    await h.ingest(event);
    await h.drain();
    const asked = portal.requests.length;
    await h.store.replay({ eventId: event.id, now: h.clock.now() });
    await h.drain();
    expect(portal.requests.length).to.equal(asked, 'no request: the event said the size');
  });
});
