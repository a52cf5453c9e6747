import { expect } from 'chai';
import { ChannelLimiter, createSlackKind } from '../../../../src/delivery/slack/index.js';
import type { Destination } from '../../../../src/delivery/destination.js';
import type { SendOutcome } from '../../../../src/domain/outcome.js';
import type { Store } from '../../../../src/store/store.js';
import { claimed, deps, fixtureEvent, spec, tempStore } from '../fixtures/delivery-fixtures.js';
import { nock, useNock } from './nock-session.js';

const API = 'https://slack.test';
const never = new AbortController().signal;

/** Network faults between the Slack sender and Slack, each asserting the outcome the worker gets. */
describe('slack sender: network faults (nock)', () => {
  useNock();
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  const open: Destination[] = [];
  beforeEach(async () => {
    db = await tempStore();
    store = await db.open();
  });
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close?.();
    await store.close();
    db.cleanup();
  });

  const send = (thread = 'none'): Promise<SendOutcome> => {
    const kind = createSlackKind({ limiter: new ChannelLimiter(0, 0), sleep: async () => undefined, requestTimeoutMs: 200 });
    const d = kind.create(spec('slack', 'ops', { channel: 'C0123', thread }), deps(store, { slackToken: 'xoxb-test', slackApiUrl: `${API}/api/` }));
    open.push(d);
    return d.send(claimed(fixtureEvent('recording'), 'ops'), never);
  };
  const post = () => nock(API).post('/api/chat.postMessage');

  it('a connection reset: retryable (network)', async () => {
    post().replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
    expect(out.kind === 'retry' && out.error).to.match(/^slack_request_error: socket hang up \(C0123\)$/);
  });

  it('no answer within the request timeout: retryable (timeout)', async () => {
    post().delay(5_000).reply(200, { ok: true, ts: '1.1', channel: 'C0123' });
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'timeout' });
    expect(out.kind === 'retry' && out.error).to.match(/^slack_timeout: /);
  });

  it('a malformed reply (a proxy page with status 200): retryable (server), the body not taken for an error code', async () => {
    post().reply(200, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' });
    const out = await send();
    expect(out).to.deep.include({ kind: 'retry', reason: 'server', statusCode: 200 });
    expect(out.kind === 'retry' && out.error).to.match(/^slack_malformed_reply: Slack's answer for C0123 was not its JSON: /);
  });

  it('a truncated reply (JSON cut off): retryable (server), not a success', async () => {
    post().reply(200, '{"ok":true,"channel":"C0123","ts":"17327', { 'content-type': 'application/json' });
    expect(await send()).to.deep.include({ kind: 'retry', reason: 'server' });
  });

  it('a reply body that breaks off mid-way: retryable (network)', async () => {
    const { Readable } = await import('node:stream');
    post().reply(200, () => {
      const body = new Readable({ read() {} });
      body.push('{"ok":tr');
      setTimeout(() => body.destroy(new Error('ECONNRESET')), 20);
      return body;
    });
    expect(await send()).to.deep.include({ kind: 'retry', reason: 'network' });
  });

  it('an HTTP 502 from Slack: retryable (server); a platform error stays permanent with its code', async () => {
    post().reply(502, 'upstream').post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    expect(await send()).to.deep.include({ kind: 'retry', reason: 'server', statusCode: 502 });
    const out = await send();
    expect(out).to.deep.include({ kind: 'permanent', reason: 'client' });
    expect(out.kind === 'permanent' && out.error).to.match(/^slack_channel_not_found: /);
  });

  it('a reset while posting into a thread leaves no thread state behind: the retry posts the parent', async () => {
    post().replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await send('session')).to.deep.include({ kind: 'retry', reason: 'network' });
    post().reply(200, { ok: true, ts: '1732700000.000100', channel: 'C0123' });
    expect(await send('session')).to.deep.include({ kind: 'success', detail: 'posted 1732700000.000100' });
  });
});
