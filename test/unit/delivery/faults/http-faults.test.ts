import { Readable } from 'node:stream';
import { expect } from 'chai';
import { HttpDestination } from '../../../../src/delivery/http/http-destination.js';
import { systemClock } from '../../../../src/domain/clock.js';
import type { SendOutcome } from '../../../../src/domain/outcome.js';
import { claimed, fixtureEvent, httpSpec } from '../http/http-fixtures.js';
import { nock, useNock } from './nock-session.js';

const BASE = 'https://receiver.test';
/** A socket error as Node raises it: an Error with a code (nock needs an Error to emit it on node:http). */
const nodeError = (code: string, message: string): Error => Object.assign(new Error(message), { code });
const never = new AbortController().signal;

/**
 * Network faults the real loopback receiver cannot stage exactly, each asserting what the HTTP
 * sender makes of it (retry or permanent, and why), whatever transport carries the request.
 */
describe('http sender: network faults (nock)', () => {
  useNock();
  const send = (options: Record<string, unknown> = {}): Promise<SendOutcome> =>
    new HttpDestination(httpSpec({ url: `${BASE}/hooks`, ...options }), { clock: systemClock }, { minTimeoutMs: 1 }).send(claimed(fixtureEvent('recording')), never);

  it('a connection reset on every try: retryable (network), after the short retries', async () => {
    const scope = nock(BASE).post('/hooks').times(3).replyWithError(nodeError('ECONNRESET', 'socket hang up'));
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(out.kind === 'retry' && out.error).to.match(/ECONNRESET|socket hang up/);
    expect(scope.isDone(), 'one try and two short retries').to.equal(true);
  });

  it("a fetch-style socket error (fetch failed, caused by UND_ERR_SOCKET): retryable (network), short-retried", async () => {
    const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const scope = nock(BASE).post('/hooks').times(3).replyWithError(new TypeError('fetch failed', { cause }));
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(out.kind === 'retry' && out.error).to.equal('fetch failed: other side closed');
    expect(scope.isDone()).to.equal(true);
  });

  it('a reset once, then an answer: the short retry heals it within the attempt', async () => {
    nock(BASE).post('/hooks').replyWithError(nodeError('ECONNRESET', 'socket hang up')).post('/hooks').reply(204);
    expect(await send()).to.deep.include({ kind: 'success', statusCode: 204 });
  });

  it('a refused connection: retryable (network) at once, no short retry (the receiver is down)', async () => {
    const scope = nock(BASE).post('/hooks').replyWithError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443')).post('/hooks').reply(200);
    expect(await send()).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(scope.pendingMocks(), 'the second answer was never asked for').to.have.length(1);
  });

  it('no answer within the timeout: retryable (timeout), said in the error', async () => {
    nock(BASE).post('/hooks').delay(5_000).reply(200);
    const out = await send({ timeout: '150ms' });
    expect(out).to.deep.equal({ kind: 'retry', reason: 'timeout', error: 'no answer within 150 ms' });
  });

  it('a malformed error answer (bytes that are no text): retryable (server), no crash, a readable snippet', async () => {
    nock(BASE).post('/hooks').reply(502, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a, 0xc3]), { 'content-type': 'application/json' });
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'server', statusCode: 502 });
    expect(out.kind === 'retry' && out.error).to.match(/^HTTP 502 Bad Gateway: /);
  });

  it('a 2xx with a malformed body is still delivered: the receiver said yes', async () => {
    nock(BASE).post('/hooks').reply(200, '{"ok": tr', { 'content-type': 'application/json' });
    expect(await send()).to.deep.include({ kind: 'success', statusCode: 200 });
  });

  it('a truncated error answer (the body breaks off): retryable (server), with what arrived', async () => {
    nock(BASE)
      .post('/hooks')
      .reply(503, () => {
        const body = new Readable({ read() {} });
        body.push('database is down, ');
        setTimeout(() => body.destroy(new Error('ECONNRESET')), 20);
        return body;
      });
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'server', statusCode: 503 });
    expect(out.kind === 'retry' && out.error).to.include('database is down');
  });

  it('a 4xx answer is permanent (client), a 401 permanent (auth): the statuses, through any transport', async () => {
    nock(BASE).post('/hooks').reply(422, 'bad').post('/hooks').reply(401);
    expect(await send()).to.deep.include({ kind: 'permanent', reason: 'client', statusCode: 422 });
    expect(await send()).to.deep.include({ kind: 'permanent', reason: 'auth', statusCode: 401 });
  });
});
