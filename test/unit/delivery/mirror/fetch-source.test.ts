import { expect } from 'chai';
import { fetchSource, SourceRefused } from '../../../../src/delivery/mirror/fetch-source.js';
import { compileGlob } from '../../../../src/routing/glob.js';
import { FakePortal } from '../../../support/fake-portal.js';

const auth = { username: 'rec', password: 'pw' };
const basic = `Basic ${Buffer.from('rec:pw').toString('base64')}`;

function get(url: string, hosts: string[] | null = null) {
  return fetchSource({ url, auth, hosts: hosts && hosts.map((h) => compileGlob(h)), timeoutMs: 2000, signal: new AbortController().signal });
}

/** The recording-access credentials go to the event URL's origin, and nowhere else. */
describe('fetching a portal file', function () {
  let portal: FakePortal;
  let other: FakePortal;

  beforeEach(async () => {
    portal = await FakePortal.start({ username: 'rec', password: 'pw' });
    // Another origin: the same machine under another name and port.
    other = await FakePortal.start({ host: 'localhost' });
  });
  afterEach(async () => {
    await portal.close();
    await other.close();
  });

  it('sends Basic credentials to the host the URL names', async () => {
    const res = await get(portal.file('/a.mkv', { size: 10 }));
    res.body.resume();
    expect(res.status).to.equal(200);
    expect(portal.requests[0]!.authorization).to.equal(basic);
  });

  it('keeps them across a redirect to the same origin', async () => {
    const target = portal.file('/b-final.mkv', { size: 10 });
    const res = await get(portal.file('/b.mkv', { size: 10, redirectTo: target }));
    res.body.resume();
    expect(res.status).to.equal(200);
    expect(portal.requests.map((r) => [r.path, r.authorization])).to.deep.equal([['/b.mkv', basic], ['/b-final.mkv', basic]]);
  });

  it('follows a redirect to another origin without them', async () => {
    const cdn = other.file('/signed.mkv', { size: 10 });
    const res = await get(portal.file('/c.mkv', { size: 10, redirectTo: cdn }));
    res.body.resume();
    expect(res.status).to.equal(200);
    expect(other.requests).to.have.length(1);
    expect(other.requests[0]!.authorization).to.equal(null);
  });

  it('a redirect to the same host on another port is another origin', async () => {
    const port = new URL(other.origin).port;
    const elsewhere = `http://127.0.0.1:${port}/d.mkv`;
    other.file('/d.mkv', { size: 10 });
    const res = await get(portal.file('/d.mkv', { size: 10, redirectTo: elsewhere }));
    res.body.resume();
    expect(other.requests[0]!.authorization).to.equal(null);
  });

  it('never sends credentials over plain http to anything but a loopback address', async () => {
    const err = await get('http://portal.example.invalid/rec.mkv').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SourceRefused);
    expect((err as SourceRefused).code).to.equal('insecure_source');
  });

  it('drops credentials written into the event URL itself', async () => {
    const url = portal.file('/e.mkv', { size: 10 }).replace('http://', 'http://evil:creds@');
    const res = await get(url);
    res.body.resume();
    expect(portal.requests[0]!.authorization).to.equal(basic);
  });

  it('with source_hosts, fetches from nothing else, redirects included', async () => {
    const refused = await get(portal.file('/f.mkv', { size: 10 }), ['*.enablex.io']).catch((e: unknown) => e);
    expect((refused as SourceRefused).code).to.equal('source_host');
    expect(portal.requests).to.deep.equal([], 'not even asked');
    const cdn = other.file('/g.mkv', { size: 10 });
    const viaRedirect = await get(portal.file('/g.mkv', { size: 10, redirectTo: cdn }), ['127.0.0.1']).catch((e: unknown) => e);
    expect((viaRedirect as SourceRefused).code).to.equal('source_host');
    expect(other.requests).to.deep.equal([]);
  });

  it('refuses other schemes, and endless redirects', async () => {
    expect(((await get('ftp://portal.enablex.io/x').catch((e: unknown) => e)) as SourceRefused).code).to.equal('bad_url');
    portal.file('/loop.mkv', { size: 1, redirectTo: portal.url('/loop.mkv') });
    expect(((await get(portal.url('/loop.mkv')).catch((e: unknown) => e)) as SourceRefused).code).to.equal('too_many_redirects');
  });
});
