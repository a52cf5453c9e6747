import { expect } from 'chai';
import Koa from 'koa';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuth } from '../../../src/http/basic-auth.js';
import { errorHandler } from '../../../src/http/error-handler.js';
import { createLogger } from '../../../src/logger.js';

describe('basic auth', () => {
  async function serve(creds: { user: string; password: string } | null): Promise<{ url: string; close(): void }> {
    const app = new Koa();
    app.silent = true;
    app.use(errorHandler(createLogger({ level: 'silent' })));
    app.use(basicAuth(creds));
    app.use((ctx) => {
      ctx.body = 'in';
    });
    const server = createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
  }
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  it('is open when no credentials are configured', async () => {
    const s = await serve(null);
    expect((await fetch(s.url)).status).to.equal(200);
    s.close();
  });

  it('checks user and password, including a colon in the password', async () => {
    const s = await serve({ user: 'enablex', password: 'a:b:c' });
    const cases: [string | null, number][] = [
      [null, 401],
      [`Basic ${b64('enablex:a:b:c')}`, 200],
      [`basic ${b64('enablex:a:b:c')}`, 200],
      [`Basic ${b64('enablex:a:b')}`, 401],
      [`Basic ${b64('enablex')}`, 401],
      [`Basic ${b64(':a:b:c')}`, 401],
      ['Basic', 401],
      [`Bearer ${b64('enablex:a:b:c')}`, 401],
    ];
    for (const [auth, status] of cases) {
      const res = await fetch(s.url, { headers: auth ? { authorization: auth } : {} });
      expect(res.status, String(auth)).to.equal(status);
      if (status === 401) {
        expect(res.headers.get('www-authenticate')).to.equal('Basic realm="enx-relay", charset="UTF-8"');
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
      }
    }
    s.close();
  });
});
