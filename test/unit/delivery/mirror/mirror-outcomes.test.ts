import { expect } from 'chai';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PORTAL_LINK_LIFETIME_MS } from '../../../../src/domain/event.js';
import { FakePortal, type PortalFile } from '../../../support/fake-portal.js';
import { fixtureEvent } from '../fixtures/delivery-fixtures.js';
import { mirrorHarness, type MirrorHarness } from './mirror-harness.js';

const MB = 1024 * 1024;

function rules(dir: string, extra = ''): string {
  return `version: 1
destinations:
  vault:
    mirror:
      to: file://${dir}
      source_auth: { username: rec, password: pw }
      stall_timeout: 400ms
      retry: { schedule: [1m, 10m, 1h] }
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

/** Every way a portal file can go wrong, and what the relay makes of it. */
describe('mirror outcomes', function () {
  this.timeout(20_000);
  let portal: FakePortal;
  let h: MirrorHarness;
  let dir: string;

  beforeEach(async () => {
    portal = await FakePortal.start({ username: 'rec', password: 'pw' });
  });
  afterEach(async () => {
    await h?.close();
    await portal.close();
  });

  async function start(extra = ''): Promise<void> {
    h = await mirrorHarness(rules('/nonexistent-placeholder'));
    dir = join(h.dir, 'rec');
    await h.close();
    h = await mirrorHarness(rules(dir, extra));
  }

  async function one(f: PortalFile, patch: Record<string, unknown> = {}): Promise<{ id: string; path: string }> {
    // A name of its own: two events' files with one name would share a place, and wait for each other.
    const path = `/r/rec-${Math.random().toString(36).slice(2)}.mkv`;
    const event = fixtureEvent('recording', { recording: [portal.file(path, f)], ...patch });
    await h.ingest(event);
    return { id: event.id, path };
  }

  const partials = (): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.partial')) : []);

  it('403 from the portal: dead at once with reason source_auth, and the failure is announced', async () => {
    await start();
    const { id } = await one({ size: MB, status: 403 });
    const [first] = await h.runDue();
    expect(first!.next).to.equal('dead');
    const [d] = await h.deliveries(id, 'vault');
    expect(d!.status).to.equal('dead');
    expect(d!.lastError).to.match(/^source_auth: source_auth: the portal refused the recording-access credentials \(HTTP 403\)/);
    expect(d!.attempts).to.equal(1, 'no retry: only an admin can fix credentials');
    const news = await h.relayEvents();
    expect(news.map((e) => e.type)).to.deep.equal(['relay.recording.mirror_failed']);
    expect((news[0]!.body as any).copies[0]).to.include({ status: 'failed', reason: 'source_auth' });
  });

  it('a wrong password is a 403 too (the portal does not tell them apart)', async () => {
    h = await mirrorHarness(rules('/x'));
    dir = join(h.dir, 'rec');
    await h.close();
    h = await mirrorHarness(rules(dir).replace('password: pw', 'password: wrong'));
    const { id } = await one({ size: MB });
    await h.runDue();
    expect((await h.deliveries(id, 'vault'))[0]!.lastError).to.match(/source_auth/);
  });

  it('404: retried on the destination schedule, alone, and mirrored once the file is there', async () => {
    await start();
    const a = portal.file('/r/lag/rec-1.mkv', { size: MB, status: 404, times: 2 });
    const b = portal.file('/r/lag/rec-2.mkv', { size: MB });
    const event = fixtureEvent('recording', { recording: [a, b] });
    await h.ingest(event);
    const t0 = h.clock.ms;
    const round1 = await h.runDue();
    expect(round1.map((s) => s.next).sort()).to.deep.equal(['delivered', 'retry']);
    const lag = (await h.deliveries(event.id, 'vault')).find((d) => d.status === 'pending')!;
    expect(lag.lastError).to.match(/not_found/);
    // The mirror's own schedule (1m first, ±20%), not the rules' 5s.
    const wait = Date.parse(lag.nextAttemptAt!) - t0;
    expect(wait).to.be.within(48_000, 72_000);
    expect(await h.relayEvents()).to.deep.equal([], 'nothing to tell while a file is still being tried');
    const rest = await h.drain();
    expect(rest.filter((s) => s.next === 'delivered')).to.have.length(2, 'the lagging file, then the announcement');
    expect(portal.requests.filter((r) => r.path === '/r/lag/rec-2.mkv')).to.have.length(1, 'the other file is not fetched again');
    expect((await h.relayEvents()).map((e) => e.type)).to.deep.equal(['relay.recording.mirrored']);
  });

  it('a retry that would fall after the link expires is not scheduled: dead with reason expired, announced', async () => {
    await start();
    // The event happened long enough ago that the first retry (1m ±20%) lands after the 72 h.
    const occurred = new Date(h.clock.ms - PORTAL_LINK_LIFETIME_MS + 30_000);
    const { id } = await one({ size: MB, status: 404 }, { trans_date: occurred.toISOString() });
    await h.runDue();
    const [d] = await h.deliveries(id, 'vault');
    expect(d!.status).to.equal('dead');
    expect(d!.lastError).to.match(/^expired: expired: the next try \(.*\) would come after the portal link expires/);
    const news = await h.relayEvents();
    expect(news.map((e) => e.type)).to.deep.equal(['relay.recording.mirror_failed']);
    const copy = (news[0]!.body as any).copies[0];
    expect(copy).to.include({ status: 'failed', reason: 'expired' });
    expect((news[0]!.body as any).expires_at).to.equal(new Date(occurred.getTime() + PORTAL_LINK_LIFETIME_MS).toISOString());
  });

  it('a link already expired is not even requested', async () => {
    await start();
    const { id, path } = await one({ size: MB }, { trans_date: new Date(h.clock.ms - PORTAL_LINK_LIFETIME_MS - 1000).toISOString() });
    await h.runDue();
    expect((await h.deliveries(id, 'vault'))[0]!.lastError).to.match(/^expired: expired: the portal link expired at/);
    expect(portal.requests.filter((r) => r.path === path)).to.deep.equal([]);
  });

  it('the schedule spent: dead, with the last reason, announced', async () => {
    await start();
    const { id } = await one({ size: MB, status: 503 });
    await h.drain();
    const [d] = await h.deliveries(id, 'vault');
    expect(d!.status).to.equal('dead');
    expect(d!.attempts).to.equal(4, 'a schedule of 3 steps: 4 tries');
    expect(d!.lastError).to.match(/^server: portal_http_503: gave up after 4 tries: the portal answered HTTP 503/);
    expect((await h.relayEvents()).map((e) => e.type)).to.deep.equal(['relay.recording.mirror_failed']);
  });

  it('a portal that stalls mid-file is cut off after stall_timeout and retried; no partial file stays', async () => {
    await start();
    const { id } = await one({ size: 4 * MB, stallAfter: MB, faultyTimes: 1 });
    const started = Date.now();
    const [first] = await h.runDue();
    expect(Date.now() - started).to.be.lessThan(5000);
    expect(first!.next).to.equal('retry');
    expect((await h.deliveries(id, 'vault'))[0]!.lastError).to.match(/^stalled: .*no data moved for 400 ms \(after \d+ bytes\)/);
    expect(partials()).to.deep.equal([]);
    await h.drain();
    expect((await h.deliveries(id, 'vault'))[0]!.status).to.equal('delivered');
  });

  it('a connection cut mid-file, and fewer bytes than announced, are retried and leave nothing behind', async () => {
    await start();
    const cut = await one({ size: 3 * MB, cutAfter: MB + 5, faultyTimes: 1 });
    const short = await one({ size: 2 * MB, announce: 3 * MB, faultyTimes: 1 });
    await h.runDue();
    expect((await h.deliveries(cut.id, 'vault'))[0]!.lastError).to.match(/^truncated: .*closed the connection after \d+ bytes of 3145728/);
    expect((await h.deliveries(short.id, 'vault'))[0]!.lastError).to.match(/^truncated: .*closed the connection after \d+ bytes of 3145728/);
    expect(partials()).to.deep.equal([]);
    expect(existsSync(join(dir, '64f0c1a2e7b9d81f2c3a4b5c'))).to.equal(true, 'folders may stay');
    await h.drain();
    expect((await h.deliveries(cut.id, 'vault'))[0]!.status).to.equal('delivered');
  });

  it("a body that ends cleanly short of the event's file_size is refused: size_mismatch, retried", async () => {
    await start();
    const url = portal.file('/r/t/final.mp4', { size: 2 * MB, chunked: true });
    const event = fixtureEvent('transcoded', { recording: url, file_size: 2 * MB + 1 });
    await h.ingest(event);
    await h.runDue();
    const [d] = await h.deliveries(event.id, 'vault');
    expect(d!.status).to.equal('pending');
    expect(d!.lastError).to.match(/size_mismatch: .*2097152 bytes arrived, file_size announced 2097153/);
    expect(partials()).to.deep.equal([]);
  });

  it('Content-Length that contradicts file_size: not downloaded at all', async () => {
    await start();
    const url = portal.file('/r/t2/final.mp4', { size: 8 * MB });
    const event = fixtureEvent('transcoded', { recording: url, file_size: 100 });
    await h.ingest(event);
    await h.runDue();
    expect((await h.deliveries(event.id, 'vault'))[0]!.lastError).to.match(/size_mismatch: the portal announces 8388608 bytes .* file_size 100/);
  });

  it('one file failing does not hold the others: they are copied, and the failure lists each file as it stands', async () => {
    await start();
    const ok = portal.file('/r/m/rec-1.mkv', { size: MB });
    const gone = portal.file('/r/m/rec-2.mkv', { size: MB, status: 410 });
    const later = portal.file('/r/m/rec-3.mkv', { size: MB, status: 404 });
    const event = fixtureEvent('recording', { recording: [ok, gone, later] });
    await h.ingest(event);
    await h.runDue();
    const news = await h.relayEvents();
    expect(news.map((e) => e.type)).to.deep.equal(['relay.recording.mirror_failed']);
    const body = news[0]!.body as any;
    // Told as soon as a file is lost; the first file ran beside it and may not have been done yet.
    expect(['mirrored', 'pending']).to.include(body.copies[0].status);
    expect(body.copies[1]).to.include({ status: 'failed', reason: 'expired' });
    expect(body.copies[2]).to.include({ status: 'pending' });
    expect(body).to.include({ files_total: 3, files_failed: 1 });
    expect(statSync(join(dir, event.appId, event.roomId, event.confNum, 'rec-1.mkv')).size).to.equal(MB);
  });
});
