import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';

/** Promise 2's one 5xx: a store that cannot take the event answers 503, so EnableX may retry. */
describe('intake when the store is unavailable', function () {
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({ rules: 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes:\n  - name: all\n    to: console\n' });
  });
  after(async () => {
    await t.stop();
  });

  it('answers 503 with Retry-After, says not ready, and stays up', async () => {
    await t.relay.store.close();
    const res = await t.post(readFileSync(new URL('../fixtures/enablex/roomdrop.json', import.meta.url)));
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
    expect(res.body.error.code).to.equal('store_unavailable');
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).to.equal(503);
    expect(((await ready.json()) as { checks: { store: string } }).checks.store).to.match(/^unavailable/);
    expect((await fetch(`${t.url}/healthz`)).status).to.equal(200);
    // A bad body is still a 4xx, even with the store down: the client must not retry it.
    expect((await t.post('{not json')).status).to.equal(400);
  });

  it('unauthenticated answers carry a code and a plain sentence, never the store error itself; the log has it', async () => {
    // The store's own words (here "the store is closed"; on PostgreSQL a host, user and database).
    const res = await t.post(readFileSync(new URL('../fixtures/enablex/roomdrop.json', import.meta.url)));
    expect(res.status).to.equal(503);
    expect(res.body.error).to.deep.equal({ code: 'store_unavailable', message: 'the event store is unavailable; try again later', details: [] });
    const ready = await fetch(`${t.url}/readyz`);
    const text = await ready.text();
    expect(text).to.include('store_unavailable').and.not.include('closed');
    expect(JSON.parse(text).checks.store).to.equal('unavailable (store_unavailable): the event store is unavailable; try again later');
    await t.logs.waitFor((lines) => lines.some((l) => l.includes('readiness: the store does not answer') && l.includes('the store is closed')));
    expect(t.logs.lines.some((l) => l.includes('"code":"store_unavailable"') && l.includes('the store is closed'))).to.equal(true);
  });
});
