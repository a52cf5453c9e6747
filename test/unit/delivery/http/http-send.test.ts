import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { HttpDestination } from '../../../../src/delivery/http/http-destination.js';
import { httpKind } from '../../../../src/delivery/http/index.js';
import type { DestinationDeps } from '../../../../src/delivery/destination.js';
import { systemClock, type Clock } from '../../../../src/domain/clock.js';
import type { SendOutcome } from '../../../../src/domain/outcome.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../../../support/scripted-receiver.js';
import { claimed, fixtureEvent, httpSpec } from './http-fixtures.js';

const PKG_VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const never = new AbortController().signal;

describe('http destination: sending to a real receiver', () => {
  let rx: ScriptedReceiver;
  beforeEach(async () => {
    rx = await startScriptedReceiver();
  });
  afterEach(async () => {
    await rx.close();
  });

  const dest = (options: Record<string, unknown> = {}, clock: Clock = systemClock) =>
    new HttpDestination(httpSpec({ url: `${rx.url}/hooks/enablex`, ...options }), { clock }, { minTimeoutMs: 5 });
  const send = (d: HttpDestination, event = fixtureEvent('recording')) => d.send(claimed(event), never);
  const failure = (o: SendOutcome) => {
    if (o.kind === 'success') throw new Error('expected a failure, got success');
    return o;
  };

  it('200: success, with the original bytes, content-type, user-agent and ids', async () => {
    const event = fixtureEvent('transcoded');
    const delivery = claimed(event);
    const out = await dest().send(delivery, never);
    expect(out).to.deep.equal({ kind: 'success', statusCode: 200, detail: undefined });
    expect(rx.requests).to.have.length(1);
    const req = rx.requests[0]!;
    expect(req.method).to.equal('POST');
    expect(req.path).to.equal('/hooks/enablex');
    expect(req.body.equals(event.raw)).to.equal(true);
    expect(req.headers['content-type']).to.equal('application/json');
    expect(req.headers['user-agent']).to.equal(`enx-relay/${PKG_VERSION}`);
    expect(req.headers['webhook-id']).to.equal(delivery.id);
    expect(req.headers['idempotency-key']).to.equal(delivery.id);
    expect(req.headers['webhook-signature']).to.equal(undefined);
  });

  it('forwards the original body byte for byte, as application/json whatever the sender said (it was read as JSON)', async () => {
    const event = fixtureEvent('file-transfer', 'application/x-www-form-urlencoded');
    // Bytes no serializer would reproduce: odd spacing, escaped slash, non-ASCII.
    event.raw = Buffer.from('{ "type":"file-transfer" ,  "note":"caf\u00e9 \\/ \\u00e9" }\n', 'utf8');
    await send(dest(), event);
    expect(rx.requests[0]!.body.equals(event.raw)).to.equal(true);
    expect(rx.requests[0]!.headers['content-type']).to.equal('application/json');
  });

  it("an admin's own Content-Type header still wins over application/json", async () => {
    await send(dest({ headers: { 'Content-Type': 'application/cloudevents+json' } }), fixtureEvent('roomdrop', 'text/plain'));
    expect(rx.requests[0]!.headers['content-type']).to.equal('application/cloudevents+json');
  });

  it('an original body without a content-type goes as application/json', async () => {
    await send(dest(), fixtureEvent('roomdrop', null));
    expect(rx.requests[0]!.headers['content-type']).to.equal('application/json');
  });

  it('a template body is rendered and sent as application/json', async () => {
    const body = '{"kind": {{ type | json }}, "room": {{ room_id | json }}, "files": {{ files | json }}, "bytes": {{ file_size_bytes }}}';
    const event = fixtureEvent('transcoded');
    const out = await send(dest({ body, method: 'PUT', headers: { 'X-Team': 'media' } }), event);
    expect(out.kind).to.equal('success');
    const req = rx.requests[0]!;
    expect(req.method).to.equal('PUT');
    expect(req.headers['content-type']).to.equal('application/json');
    expect(req.headers['x-team']).to.equal('media');
    expect(JSON.parse(req.body.toString('utf8'))).to.deep.equal({
      kind: 'transcoded',
      room: event.roomId,
      files: [event.files[0]!.url],
      bytes: 48213377,
    });
  });

  it('a template that yields invalid JSON for this event is permanent (render), nothing sent', async () => {
    const out = failure(await send(dest({ body: '{% if stage %}{"stage": {{ stage }}}{% endif %}' }), fixtureEvent('roomdrop')));
    expect(out).to.deep.include({ kind: 'permanent', reason: 'render' });
    expect(out.error).to.match(/valid JSON/);
    expect(rx.requests).to.have.length(0);
  });

  it('500: retryable (server), with the start of the answer', async () => {
    rx.script([{ status: 500, body: 'database   is\n down' }]);
    const out = failure(await send(dest()));
    expect(out).to.deep.include({ kind: 'retry', reason: 'server', statusCode: 500 });
    expect(out.error).to.equal('HTTP 500 Internal Server Error: database is down');
  });

  it('a huge error page is cut to about 500 characters', async () => {
    rx.script([{ status: 503, body: 'x'.repeat(1_000_000) }]);
    const out = failure(await send(dest()));
    expect(out.error.length).to.be.within(400, 560);
  });

  it('429 with Retry-After seconds: retryable (rate_limited) with the wait', async () => {
    rx.script([{ status: 429, headers: { 'retry-after': '7' } }]);
    expect(await send(dest())).to.deep.include({ kind: 'retry', reason: 'rate_limited', statusCode: 429, retryAfterMs: 7000 });
  });

  it('429 with Retry-After as an HTTP date: the wait from the clock\'s now', async () => {
    const now = new Date('2025-03-01T10:00:00.000Z');
    rx.script([{ status: 429, headers: { 'retry-after': 'Sat, 01 Mar 2025 10:01:30 GMT' } }]);
    expect(await send(dest({}, { now: () => now }))).to.deep.include({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 90_000 });
  });

  it('410 and 400: permanent (client)', async () => {
    rx.script([{ status: 410 }, { status: 400, body: '{"error":"bad"}' }]);
    expect(await send(dest())).to.deep.include({ kind: 'permanent', reason: 'client', statusCode: 410 });
    const out = failure(await send(dest()));
    expect(out).to.deep.include({ kind: 'permanent', reason: 'client', statusCode: 400 });
    expect(out.error).to.contain('{"error":"bad"}');
  });

  it('301: permanent, and the redirect is not followed', async () => {
    rx.script([{ status: 301, headers: { location: `${rx.url}/moved` } }]);
    expect(await send(dest())).to.deep.include({ kind: 'permanent', reason: 'config', statusCode: 301 });
    expect(rx.requests.map((r) => r.path)).to.deep.equal(['/hooks/enablex']);
  });

  it('a receiver that never answers: retryable timeout after the configured timeout', async () => {
    rx.script(['hang']);
    const out = failure(await send(dest({ timeout: '200ms' })));
    expect(out).to.deep.include({ kind: 'retry', reason: 'timeout' });
    expect(out.error).to.contain('200 ms');
    expect(rx.requests).to.have.length(1);
  });

  it('a reset every time: short retries, then a retryable network outcome', async () => {
    rx.setDefault('reset');
    const out = failure(await send(dest()));
    expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(rx.requests).to.have.length(3);
  });

  it('a reset once then 200: success thanks to the short retry', async () => {
    const delivery = claimed(fixtureEvent('recording'));
    rx.script(['reset']);
    expect(await dest().send(delivery, never)).to.deep.include({ kind: 'success', statusCode: 200 });
    expect(rx.requests).to.have.length(2);
    expect(rx.requests[1]!.headers['webhook-id']).to.equal(delivery.id);
  });

  it('a refused connection (receiver down): retryable network', async () => {
    const port = await freePort();
    const d = new HttpDestination(httpSpec({ url: `http://127.0.0.1:${port}/` }), { clock: systemClock });
    const out = failure(await d.send(claimed(fixtureEvent('roomdrop')), never));
    expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(out.error).to.contain('ECONNREFUSED');
  });

  it('shutdown aborts a request in flight: a retry, not a hang', async () => {
    rx.script(['hang']);
    const ctl = new AbortController();
    const p = dest({ timeout: '30s' }).send(claimed(fixtureEvent('roomdrop')), ctl.signal);
    while (rx.requests.length === 0) await new Promise((r) => setImmediate(r));
    ctl.abort();
    expect(await p).to.deep.include({ kind: 'retry', reason: 'network' });
  });

  it('leaves no listener on the long-lived shutdown signal, whatever the outcome', async () => {
    const shutdown = new AbortController().signal;
    rx.script([{ status: 200 }, { status: 500, body: 'x' }, 'hang', 'reset', 'reset', 'reset']);
    for (let i = 0; i < 4; i++) await dest({ timeout: '100ms' }).send(claimed(fixtureEvent('roomdrop')), shutdown);
    expect(rx.requests).to.have.length(6);
    expect(getEventListeners(shutdown, 'abort')).to.have.length(0);
  });

  it('the same delivery keeps its webhook-id on every send; another delivery gets another', async () => {
    rx.script([{ status: 503 }, { status: 200 }, { status: 200 }]);
    const d = dest();
    const delivery = claimed(fixtureEvent('recording'));
    await d.send(delivery, never);
    await d.send({ ...delivery, attempts: 2 }, never);
    await d.send(claimed(delivery.event), never);
    const ids = rx.requests.map((r) => r.headers['webhook-id']);
    expect(ids[0]).to.equal(delivery.id);
    expect(ids[1]).to.equal(delivery.id);
    expect(ids[2]).to.be.a('string').and.not.equal(delivery.id);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).to.deep.equal(ids);
  });

  it('httpKind.create builds a working destination', async () => {
    const d = httpKind.create(httpSpec({ url: rx.url }), { clock: systemClock } as DestinationDeps);
    expect(d.kind).to.equal('http');
    expect(d.orderKey(fixtureEvent('roomdrop'))).to.equal(null);
    expect(await d.send(claimed(fixtureEvent('roomdrop')), never)).to.deep.include({ kind: 'success' });
  });
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
