import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Koa from 'koa';
import { expect } from 'chai';
import { DASHBOARD_DIR, loadDashboard } from '../../src/http/dashboard/dashboard-files.js';
import { dashboardRoute } from '../../src/http/dashboard/dashboard-route.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { tempDir } from '../support/temp-dir.js';

const RULES = 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes: []\n';

/** The page's files and what a first visit transfers (index.html and what it names), gzip. */
function firstVisit(): { bytes: number; assets: string[] } {
  const files = loadDashboard()!;
  const html = files.get('index.html')!.body.toString();
  const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  return { bytes: [files.get('index.html')!, ...assets.map((a) => files.get(a)!)].reduce((n, f) => n + f.gzip.length, 0), assets };
}

describe('the dashboard, served', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({ rules: RULES, env: { RELAY_ADMIN_TOKEN: 'dashboard-serve-token-991f' } });
  });
  after(() => t?.stop());

  it('is built by npm run build, small: a first visit transfers under 30 KB gzip', () => {
    const files = loadDashboard();
    expect(files, `nothing built in ${DASHBOARD_DIR}`).to.not.equal(null);
    const visit = firstVisit();
    expect(visit.assets.some((a) => /^assets\/[\w-]+-[\w-]{8}\.js$/.test(a)), visit.assets.join()).to.equal(true);
    expect(visit.bytes).to.be.below(30 * 1024);
  });

  it('answers the page with its CSP and no-cache, revalidates by ETag, and compresses as asked', async () => {
    const redirect = await fetch(`${t.url}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).to.equal(302);
    expect(redirect.headers.get('location')).to.equal('/dashboard/');
    const page = await fetch(`${t.url}/dashboard/`, { headers: { 'accept-encoding': 'identity' } });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).to.equal('no-cache');
    expect(page.headers.get('content-security-policy')).to.equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
    const html = await page.text();
    const again = await fetch(`${t.url}/dashboard/`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).to.equal(304);
    // Node's fetch decodes br and gzip itself: ask by hand to see the encoding.
    const { request } = await import('node:http');
    const gz = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(`${t.url}/dashboard/`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gz.encoding).to.equal('gzip');
    expect(gunzipSync(gz.body).toString()).to.equal(html);
  });

  it('caches hashed assets for good and serves nothing but the built files', async () => {
    for (const asset of firstVisit().assets.filter((a) => a.startsWith('assets/'))) {
      const res = await fetch(`${t.url}/dashboard/${asset}`);
      expect(res.status, asset).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    }
    for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/assets/', '/dashboard/nope.js', '/dashboard//etc/passwd']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).to.equal(404);
    }
    expect((await fetch(`${t.url}/dashboard/`, { method: 'POST' })).status).to.equal(405);
    expect((await fetch(`${t.url}/dashboard/`, { method: 'HEAD' })).status).to.equal(200);
  });

  it('does not exist without RELAY_ADMIN_TOKEN, and says how to build it when it is not built', async () => {
    const off = await startTestRelay({ rules: RULES });
    try {
      expect((await fetch(`${off.url}/dashboard/`)).status).to.equal(404);
    } finally {
      await off.stop();
    }
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'empty'));
      const app = new Koa();
      app.use(dashboardRoute(loadDashboard(join(dir, 'empty'))));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/dashboard/`);
      server.close();
      expect(res.status).to.equal(404);
      expect(await res.text()).to.include('run `npm run build`');
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      expect(loadDashboard(dir)!.get('index.html')!.immutable).to.equal(false);
    } finally {
      cleanup();
    }
  });
});
