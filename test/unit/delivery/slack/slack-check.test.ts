import { expect } from 'chai';
import { WebClient } from '@slack/web-api';
import { slackKind } from '../../../../src/delivery/slack/index.js';
import { FakeSlack } from '../../../support/fake-slack.js';
import { checkContext, spec } from '../fixtures/delivery-fixtures.js';

const check = (options: Record<string, unknown>): { path?: string; message: string }[] => slackKind.check!(spec('slack', 'ops', options), checkContext());

describe('slack check()', () => {
  it('accepts a plain destination and good templates', () => {
    expect(check({ channel: '#video-ops' })).to.deep.equal([]);
    expect(check({ channel: 'C0123', thread: 'none', text: 'Room {{ room_id }}', blocks: '[{"type":"section","text":{"type":"mrkdwn","text":{{ room_id | json }}}}]' })).to.deep.equal([]);
  });

  it('reports a template that does not compile, at its position', () => {
    const [p, ...rest] = check({ channel: '#x', text: 'Room {{ room_id ' });
    expect(rest).to.deep.equal([]);
    expect(p!.path).to.equal('rules.yaml:text');
    expect(p!.message).to.match(/^text: template does not compile/);
  });

  it('reports blocks that do not render a JSON array, naming the example event', () => {
    const [p] = check({ channel: '#x', blocks: '{"type":"section"}' });
    expect(p).to.deep.equal({ path: 'rules.yaml:blocks', message: 'blocks: blocks must render a JSON array of Block Kit blocks (for the "roomdrop" example event)' });
    // Too long only for an event with several files: caught on that example.
    const [q] = check({ channel: '#x', blocks: '[{"type":"header","text":{"type":"plain_text","text":"{{ files | join: " " }}"}}]' });
    expect(q!.message).to.match(/^blocks: block 0: header text is \d+ characters, at most 150 \(for the "recording" example event\)$/);
    const [r] = check({ channel: '#x', blocks: '[{"type":"section","text":{"type":"mrkdwn","text":"{{ destination.host }}"}}' });
    expect(r!.message).to.match(/^blocks: did not render valid JSON/);
  });

  it('reports an unknown thread mode and a missing channel', () => {
    expect(check({ channel: '', thread: 'always' }).map((p) => p.path)).to.deep.equal(['rules.yaml:channel', 'rules.yaml:thread']);
  });
});

describe('fake Slack refuses what Slack refuses', () => {
  let fake: FakeSlack;
  let client: WebClient;
  before(async () => {
    fake = await FakeSlack.start();
    client = new WebClient('xoxb-test-token', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as never, setName() {} } });
  });
  after(() => fake.close());

  const platformError = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);

  it('answers ok with ts and channel id, and threads replies', async () => {
    const res = await client.chat.postMessage({ channel: '#video-ops', text: 'hello' });
    expect(res).to.include({ ok: true, channel: 'CVIDEOOPS' });
    expect(await platformError(client.chat.postMessage({ channel: '#video-ops', text: 'r', thread_ts: res.ts! }))).to.equal('ok');
    expect(await platformError(client.chat.postMessage({ channel: '#video-ops', text: 'r', thread_ts: '1.2' }))).to.equal('thread_not_found');
  });

  it('too many blocks, long texts and a missing text are refused', async () => {
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    expect(await platformError(client.chat.postMessage({ channel: '#a', text: 't', blocks: Array.from({ length: 51 }, () => section(1)) }))).to.equal('invalid_blocks');
    expect(await platformError(client.chat.postMessage({ channel: '#a', text: 't', blocks: [section(3001)] }))).to.equal('invalid_blocks');
    expect(await platformError(client.chat.postMessage({ channel: '#a', text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }))).to.equal('invalid_blocks');
    expect(await platformError(client.chat.postMessage({ channel: '#a', blocks: [section(10)] } as never))).to.equal('no_text');
    expect(await platformError(client.chat.postMessage({ channel: '#a', text: 't', blocks: [section(3000)] }))).to.equal('ok');
  });
});
