import { expect } from 'chai';
import { ChannelLimiter, createSlackKind } from '../../../../src/delivery/slack/index.js';
import type { Destination } from '../../../../src/delivery/destination.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import type { SendOutcome } from '../../../../src/domain/outcome.js';
import type { ExpectationSpec } from '../../../../src/sessions/expectation.js';
import { formatSessionKey } from '../../../../src/sessions/session-key.js';
import { sessionTouch } from '../../../../src/sessions/session-touch.js';
import type { Store } from '../../../../src/store/store.js';
import { FakeSlack } from '../../../support/fake-slack.js';
import { ManualClock, captureLogger, claimed, deps, fixtureEvent, spec, tempStore } from '../fixtures/delivery-fixtures.js';

const TOKEN = 'xoxb-test-token';
const signal = new AbortController().signal;
const SESSION_TYPES = ['roomdrop', 'recording', 'transcoded', 'file-transfer'] as const;

describe('slack destination (fake Slack over HTTP, real SQLite store)', () => {
  let fake: FakeSlack;
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  let clock: ManualClock;
  let sleeps: number[];
  let limiter: ChannelLimiter;
  const open: Destination[] = [];

  beforeEach(async () => {
    stored.clear();
    fake = await FakeSlack.start({ tokens: [TOKEN] });
    db = await tempStore();
    store = await db.open();
    clock = new ManualClock();
    sleeps = [];
    limiter = new ChannelLimiter(1000, 3000);
  });

  afterEach(async () => {
    for (const d of open.splice(0)) await d.close?.();
    await store.close();
    await fake.close();
    db.cleanup();
  });

  /** A destination as the worker gets it; sleeping only records the wait (and moves the clock when asked). */
  function slack(options: Record<string, unknown> = {}, opts: { advance?: boolean; token?: string | null; name?: string } = {}): Destination {
    const kind = createSlackKind({ limiter, sleep: async (ms) => void (sleeps.push(ms), opts.advance && (clock.ms += ms)) });
    const settings = { slackToken: opts.token === undefined ? TOKEN : opts.token, slackApiUrl: fake.url };
    const d = kind.create(spec('slack', opts.name ?? 'video-ops', { channel: '#video-ops', ...options }), deps(store, settings, { clock }));
    open.push(d);
    return d;
  }

  /** Stored as the intake stores it (the session's record with it), once: the worker sends only stored events. */
  const stored = new Set<string>();
  const ingest = async (e: RelayEvent, expectations: ExpectationSpec[] = []): Promise<void> => {
    if (stored.has(e.id)) return;
    stored.add(e.id);
    await store.ingest(e, [], { dedupeSince: new Date(0), session: sessionTouch(e, expectations) ?? undefined });
  };
  const send = async (d: Destination, e: RelayEvent, id?: string): Promise<SendOutcome> => {
    await ingest(e);
    return d.send(claimed(e, d.name, id), signal);
  };
  const statusOf = (ts: string): unknown => fake.messages.get(ts)!.blocks!.at(-1);

  it('posts the first event of a session as the parent, replies to the rest in its thread, and keeps the status line current', async () => {
    const d = slack({}, { advance: true });
    for (const type of SESSION_TYPES) expect(await send(d, fixtureEvent(type))).to.include({ kind: 'success' });
    const [parent, ...replies] = fake.posted();
    expect(parent!.thread_ts).to.equal(undefined);
    expect(parent!.text).to.match(/^Session ended/);
    expect(replies.map((r) => r.thread_ts)).to.deep.equal([parent!.ts, parent!.ts, parent!.ts]);
    expect(replies.map((r) => r.text.split(':')[0])).to.deep.equal(['Recording ready', 'Transcoded file ready', 'Files delivered to S3']);
    expect(JSON.stringify(replies[0]!.blocks)).to.include('|rec-1.mkv>');
    expect(fake.callsOf('chat.update')).to.have.length(3);
    expect(parent!.updates).to.equal(3);
    expect(statusOf(parent!.ts)).to.deep.equal({ type: 'context', elements: [{ type: 'mrkdwn', text: '*Session:* ended 09:41 · 2 recordings ready 10:30 · transcoded 1 of ? · delivered to S3 · times UTC' }] });
    // Every reply was a separate message one second after the previous one in that channel.
    expect(sleeps).to.deep.equal([1000, 1000, 1000]);
  });

  it('keeps one thread per session: sessions sent interleaved, in order, still thread apart', async () => {
    const d = slack({}, { advance: true });
    const other = { conf_num: '917345999' };
    const order = [fixtureEvent('roomdrop'), fixtureEvent('roomdrop', other), fixtureEvent('recording', other), fixtureEvent('recording'), fixtureEvent('transcoded')];
    // One at a time, as the worker sends deliveries that share an orderKey.
    for (const e of order) expect((await send(d, e)).kind).to.equal('success');
    const [a, b, bRec, aRec, aTrans] = fake.posted();
    expect([a!.thread_ts, b!.thread_ts]).to.deep.equal([undefined, undefined]);
    expect(bRec!.thread_ts).to.equal(b!.ts);
    expect([aRec!.thread_ts, aTrans!.thread_ts]).to.deep.equal([a!.ts, a!.ts]);
    expect(JSON.stringify(statusOf(a!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30 · transcoded 1 of ? · times UTC');
    expect(JSON.stringify(statusOf(b!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30 · times UTC"');
  });

  it('two sessions whose fields differ only in where a slash falls get a thread each, and each its own status line', async () => {
    const d = slack({}, { advance: true });
    const a = fixtureEvent('roomdrop', { app_id: 'app', room_id: 'r/x', conf_num: '1' });
    const b = fixtureEvent('recording', { app_id: 'app/r', room_id: 'x', conf_num: '1' });
    expect(d.orderKey(a)).to.not.equal(d.orderKey(b));
    expect(await send(d, a)).to.include({ kind: 'success' });
    expect(await send(d, b)).to.include({ kind: 'success' });
    const [pa, pb] = fake.posted();
    expect([pa!.thread_ts, pb!.thread_ts]).to.deep.equal([undefined, undefined]);
    expect((statusOf(pa!.ts) as { elements: { text: string }[] }).elements[0]!.text).to.match(/^\*Session:\* ended /);
    expect((statusOf(pb!.ts) as { elements: { text: string }[] }).elements[0]!.text).to.match(/^\*Session:\* 2 recordings ready /);
    // Sessions without a slash keep the key their threads were stored under.
    expect(d.orderKey(fixtureEvent('roomdrop'))).to.equal(`slack:video-ops:#video-ops:${fixtureEvent('roomdrop').appId}/${fixtureEvent('roomdrop').roomId}/${fixtureEvent('roomdrop').confNum}`);
  });

  it('orders by (destination, session) when threading, not at all without threads', () => {
    const d = slack();
    const k = d.orderKey(fixtureEvent('recording'));
    expect(k).to.equal('slack:video-ops:#video-ops:64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201');
    expect(d.orderKey(fixtureEvent('roomdrop'))).to.equal(k);
    expect(d.orderKey(fixtureEvent('roomdrop', { conf_num: '1' }))).to.not.equal(k);
    expect(slack({}, { name: 'other' }).orderKey(fixtureEvent('roomdrop'))).to.not.equal(k);
    expect(slack({ thread: 'none' }).orderKey(fixtureEvent('roomdrop'))).to.equal(null);
  });

  it('reuses the thread after a restart: new destination, store reopened', async () => {
    expect((await send(slack(), fixtureEvent('roomdrop'))).kind).to.equal('success');
    for (const d of open.splice(0)) await d.close?.();
    await store.close();
    store = await db.open();
    limiter = new ChannelLimiter(1000, 3000);
    expect((await send(slack(), fixtureEvent('recording'))).kind).to.equal('success');
    const [parent, reply] = fake.posted();
    expect(reply!.thread_ts).to.equal(parent!.ts);
    expect(JSON.stringify(statusOf(parent!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30');
  });

  it('does not post twice when a delivery is sent again after a crash (parent or reply)', async () => {
    const d = slack({}, { advance: true });
    const drop = fixtureEvent('roomdrop');
    const rec = fixtureEvent('recording');
    await send(d, drop, 'delivery-1');
    await send(d, rec, 'delivery-2');
    expect(await send(d, drop, 'delivery-1')).to.include({ kind: 'success' });
    expect(await send(d, rec, 'delivery-2')).to.include({ kind: 'success' });
    expect(fake.callsOf('chat.postMessage')).to.have.length(2);
    expect(JSON.stringify(statusOf(fake.posted()[0]!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30 · times UTC"');
  });

  it('a replay of a delivered message posts it again in the thread, once however often that replay is retried, and the status line still counts the event once', async () => {
    const d = slack({}, { advance: true });
    const drop = fixtureEvent('roomdrop');
    const rec = fixtureEvent('recording');
    await send(d, drop, 'delivery-1');
    await send(d, rec, 'delivery-2');
    const replay = (e: RelayEvent, id: string, n: number): Promise<SendOutcome> => d.send(claimed(e, d.name, id, n), signal);
    // The recording, replayed; the parent's event too: it goes into its own thread, not a new one.
    expect(await replay(rec, 'delivery-2', 1)).to.include({ kind: 'success' });
    expect(await replay(drop, 'delivery-1', 1)).to.include({ kind: 'success' });
    // A crash before the replay's result was recorded: the same replay sent again posts nothing.
    const again = await replay(rec, 'delivery-2', 1);
    expect(again.kind === 'success' && again.detail).to.match(/^already posted in thread/);
    // A second replay is another message.
    expect(await replay(rec, 'delivery-2', 2)).to.include({ kind: 'success' });
    const [parent, ...replies] = fake.posted();
    expect(replies.map((r) => r.thread_ts)).to.deep.equal([parent!.ts, parent!.ts, parent!.ts, parent!.ts]);
    expect(replies.map((r) => r.text.split(':')[0])).to.deep.equal(['Recording ready', 'Recording ready', 'Session ended', 'Recording ready']);
    expect(JSON.stringify(statusOf(parent!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30 · times UTC"');
    // Replays leave the status line as it was: no update of the parent.
    expect(fake.callsOf('chat.update')).to.have.length(1);
  });

  it('thread: none posts every event on its own and keeps no state', async () => {
    const d = slack({ thread: 'none' }, { advance: true });
    await send(d, fixtureEvent('roomdrop'));
    await send(d, fixtureEvent('recording'));
    expect(fake.posted().map((m) => m.thread_ts)).to.deep.equal([undefined, undefined]);
    expect(fake.callsOf('chat.update')).to.have.length(0);
    expect(await store.getState('slack:video-ops:#video-ops:64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201')).to.equal(null);
  });

  it('a 429 becomes a retry after Retry-After, and holds that channel only', async () => {
    fake.script('chat.postMessage', { rateLimited: 7 });
    const ops = slack({ thread: 'none' });
    expect(await send(ops, fixtureEvent('roomdrop'))).to.deep.include({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 7000 });
    // The channel is paused: the next delivery is handed back untried (no attempt used), without calling Slack.
    const calls = fake.calls.length;
    const again = await send(ops, fixtureEvent('recording'));
    expect(again).to.include({ kind: 'deferred', reason: 'rate_limited' });
    expect(again.kind === 'deferred' && again.waitMs).to.be.within(6000, 7000);
    expect(fake.calls.length).to.equal(calls);
    // Another channel is not held.
    expect(await send(slack({ channel: '#media', thread: 'none' }, { name: 'media' }), fixtureEvent('roomdrop'))).to.include({ kind: 'success' });
    expect(sleeps).to.deep.equal([]);
  });

  it('limits a busy channel to one message per second without slowing another channel', async () => {
    const a = slack({ thread: 'none' });
    const b = slack({ channel: '#media', thread: 'none' }, { name: 'media' });
    // The clock does not move: each message to #a has to wait one more second.
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await send(a, fixtureEvent('roomdrop')));
    expect(outcomes.every((o) => o.kind === 'success')).to.equal(true);
    expect(sleeps).to.deep.equal([1000, 2000, 3000]);
    expect(await send(b, fixtureEvent('roomdrop'))).to.include({ kind: 'success' });
    expect(sleeps).to.deep.equal([1000, 2000, 3000]);
    // Past the longest wait the worker slot is handed back, untried: deferred until the slot is free.
    expect(await send(a, fixtureEvent('roomdrop'))).to.deep.include({ kind: 'deferred', reason: 'rate_limited', waitMs: 4000 });
    expect(fake.callsOf('chat.postMessage').map((c) => c.args.channel)).to.deep.equal(['#video-ops', '#video-ops', '#video-ops', '#video-ops', '#media']);
  });

  const PERMANENT = ['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'token_revoked', 'invalid_blocks', 'msg_too_long', 'no_text', 'is_archived', 'missing_scope'];
  for (const error of PERMANENT) {
    it(`Slack's ${error} is permanent, with reason slack_${error}, and starts no thread`, async () => {
      fake.script('chat.postMessage', { error });
      const o = await send(slack(), fixtureEvent('roomdrop'));
      expect(o.kind).to.equal('permanent');
      expect(o.kind === 'permanent' && o.error).to.match(new RegExp(`^slack_${error}: .*#video-ops`));
      expect(await store.getState(slack().orderKey(fixtureEvent('roomdrop'))!)).to.equal(null);
    });
  }

  for (const answer of [{ error: 'internal_error' }, { error: 'service_unavailable' }, { status: 503 }]) {
    it(`${JSON.stringify(answer)} is retried`, async () => {
      fake.script('chat.postMessage', answer);
      expect((await send(slack(), fixtureEvent('roomdrop'))).kind).to.equal('retry');
    });
  }

  it('an unreachable Slack is a network retry', async () => {
    const url = fake.url;
    await fake.close();
    const d = createSlackKind({ limiter }).create(spec('slack', 'x', { channel: '#video-ops' }), deps(store, { slackToken: TOKEN, slackApiUrl: url }, { clock }));
    expect(await d.send(claimed(fixtureEvent('roomdrop'), 'x'), signal)).to.include({ kind: 'retry', reason: 'network' });
    fake = await FakeSlack.start();
  });

  it('a wrong token is refused by Slack: permanent auth', async () => {
    const o = await send(slack({ token: 'xoxb-wrong' }), fixtureEvent('roomdrop'));
    expect(o).to.include({ kind: 'permanent', reason: 'auth' });
    expect(fake.calls[0]!.token).to.equal('xoxb-wrong');
  });

  it('no token at all is a permanent config outcome, and Slack is not called', async () => {
    const o = await send(slack({}, { token: null }), fixtureEvent('roomdrop'));
    expect(o).to.include({ kind: 'permanent', reason: 'config' });
    expect(fake.calls).to.have.length(0);
  });

  it('the reply still counts when the status update fails; the next update catches up', async () => {
    const { logger, lines } = captureLogger();
    const kind = createSlackKind({ limiter, sleep: async () => {} });
    const d = kind.create(spec('slack', 'video-ops', { channel: '#video-ops' }), deps(store, { slackToken: TOKEN, slackApiUrl: fake.url }, { clock, logger }));
    open.push(d);
    await send(d, fixtureEvent('roomdrop'));
    fake.script('chat.update', { rateLimited: 3 });
    expect(await send(d, fixtureEvent('recording'))).to.include({ kind: 'success' });
    expect(lines.some((l) => l.msg === 'could not update the thread status line')).to.equal(true);
    await send(d, fixtureEvent('transcoded'));
    expect(JSON.stringify(statusOf(fake.posted()[0]!.ts))).to.include('ended 09:41 · 2 recordings ready 10:30 · transcoded 1 of ? · times UTC');
    expect(JSON.stringify(lines)).to.not.include(TOKEN);
  });

  it('draws the status line from the session record: events that arrived out of order, and what is still awaited', async () => {
    const d = slack({}, { advance: true });
    const later = (e: RelayEvent, at: string): RelayEvent => ({ ...e, receivedAt: at });
    const pos = { file: 'rules.yaml', line: 1, column: 1 };
    const expect_: ExpectationSpec[] = [
      { name: 'transcoded after recording', after: 'recording', then: 'transcoded', withinMs: 3600_000, when: [], pos },
      { name: 'delivered after recording', after: 'recording', then: 'file-transfer', withinMs: 60_000, when: [], pos },
    ];
    // The recording arrives first, the roomdrop (which happened before it) after it, and a
    // transfer to a storage whose name is hostile mrkdwn: stored in that order before any send.
    const rec = later(fixtureEvent('recording'), '2024-11-27T10:30:00.000Z');
    const drop = later(fixtureEvent('roomdrop'), '2024-11-27T10:31:00.000Z');
    await ingest(rec, expect_);
    await ingest(drop, expect_);
    // The first delivery (the recording's) starts the thread and already knows the session ended.
    expect(await send(d, rec)).to.include({ kind: 'success' });
    const parent = fake.posted()[0]!;
    const line = (): string => (statusOf(parent.ts) as { elements: { text: string }[] }).elements[0]!.text;
    expect(line()).to.equal('*Session:* ended 09:41 · 2 recordings ready 10:30 · files not yet delivered to storage · transcoded file not yet arrived · times UTC');
    // The transfer's watch runs out: the watchdog marks it overdue; the next message redraws the line.
    const key = formatSessionKey(rec);
    expect(await store.markWatches([{ key, name: 'delivered after recording', from: 'waiting', to: 'overdue' }], new Date('2024-11-27T10:32:00Z'))).to.equal(1);
    expect(await send(d, drop)).to.include({ kind: 'success' });
    expect(line()).to.equal('*Session:* ended 09:41 · 2 recordings ready 10:30 · files not yet delivered to storage (overdue since 10:31) · transcoded file not yet arrived · times UTC');
    const transfer = later(fixtureEvent('file-transfer', { destination: { name: '<!channel> *vault*', host: 'h' } }), '2024-11-27T10:40:00.000Z');
    await ingest(transfer, expect_);
    expect(await send(d, transfer)).to.include({ kind: 'success' });
    expect(line()).to.equal('*Session:* ended 09:41 · 2 recordings ready 10:30 · delivered to &lt;!channel&gt; *vault* · transcoded file not yet arrived · times UTC');
  });

  it('a status line stays one line within Slack\'s limits, whatever names the transfers give (long, many, with newlines and &)', async () => {
    const d = slack({}, { advance: true });
    const drop = fixtureEvent('roomdrop');
    await ingest(drop);
    // A storage name that forges a line, then 12 of 250 `&` (1,250 characters each escaped: the
    // schema's 256 at most per name, but nothing bounds how many transfers a session has).
    await ingest(fixtureEvent('file-transfer', { destination: { name: 'S3\n*Session:* all delivered' } }));
    for (let i = 0; i < 12; i++) await ingest(fixtureEvent('file-transfer', { destination: { name: `${i}${'&'.repeat(250)}` } }));
    expect(await send(d, drop)).to.include({ kind: 'success' });
    const parent = fake.posted()[0]!;
    const text = (statusOf(parent.ts) as { elements: { text: string }[] }).elements[0]!.text;
    expect(text.length).to.be.at.most(2000);
    expect(text).to.not.include('\n');
    expect(text).to.not.match(/&(?!amp;|lt;|gt;)/);
    expect(text).to.match(/^\*Session:\* ended 09:41 · delivered to .+ and \d+ more · times UTC$/);
  });

  it('sends templated text and blocks', async () => {
    const d = slack({ thread: 'none', text: 'Ready: {{ files | size }} file(s) in {{ room_id }}', blocks: '[{"type":"section","text":{"type":"mrkdwn","text":"conf {{ conf_num }}"}}]' });
    expect((await send(d, fixtureEvent('recording'))).kind).to.equal('success');
    expect(fake.posted()[0]).to.deep.include({ text: 'Ready: 2 file(s) in 6750a8f1c2d3e4f5a6b7c8d9', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'conf 917345201' } }] });
  });

  it('a template that fails at send time is permanent (render), nothing posted', async () => {
    const o = await send(slack({ blocks: '[{"type": "section"} {{ room_id }}]' }), fixtureEvent('roomdrop'));
    expect(o).to.include({ kind: 'permanent', reason: 'render' });
    expect(fake.calls).to.have.length(0);
  });

  it('render() shows the message for review and sends nothing', async () => {
    const r = await slack().render(fixtureEvent('transcoded'));
    expect(r.target).to.equal('#video-ops (thread: session)');
    expect(r.summary).to.match(/^Transcoded file ready: Transcoded file 1 \(46\.0 MiB\)/);
    expect(r.payload).to.have.property('blocks').that.is.an('array');
    expect(fake.calls).to.have.length(0);
  });
});
