import { expect } from 'chai';
import { buildSlackMessage, withStatus, type SlackMessage } from '../../../../src/delivery/slack/build-slack-message.js';
import { describeEvent } from '../../../../src/delivery/messages/describe-event.js';
import { renderSlackMessage } from '../../../../src/delivery/slack/render-slack-message.js';
import { compileTemplate } from '../../../../src/templates/engine.js';
import { SLACK_BLOCKS, SLACK_TEXT } from '../../../../src/delivery/slack/mrkdwn.js';
import { eventView } from '../../../../src/domain/event-view.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import { slackLimitProblem } from '../../../support/fake-slack.js';
import { FIXTURES, fixtureEvent, recordingWithFiles } from '../fixtures/delivery-fixtures.js';

const build = (e: RelayEvent): SlackMessage => buildSlackMessage(describeEvent(eventView(e)));
/** Every text of the message, for "says X somewhere" checks. */
const allText = (m: SlackMessage): string => JSON.stringify(m.blocks);

describe('built-in Slack messages', () => {
  for (const name of FIXTURES) {
    it(`${name}: valid for Slack, with a plain text fallback and a header`, () => {
      const m = build(fixtureEvent(name));
      expect(slackLimitProblem({ ...m })).to.equal(null);
      expect(m.text.length).to.be.greaterThan(10);
      expect(m.blocks![0]!.type).to.equal('header');
    });
  }

  it('roomdrop: room, conference and the time (reader-local with a UTC fallback)', () => {
    const m = build(fixtureEvent('roomdrop'));
    expect(m.text).to.equal('Session ended: The video session in room 6750a8f1c2d3e4f5a6b7c8d9 (conference 917345201) has ended.');
    expect(allText(m)).to.include('*Conference*\\n917345201').and.include('<!date^1732700512^{date_short_pretty} {time}|2024-11-27 09:41 UTC>');
  });

  it('recording: each file as a link, how many, until when, and the credentials note', () => {
    const m = build(fixtureEvent('recording'));
    const text = allText(m);
    expect(text).to.include('<https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv|rec-1.mkv>');
    expect(text).to.include('rec-2.mkv>');
    expect(text).to.include('*Files*\\n2');
    expect(text).to.include('*Links work until*').and.include('|2024-11-30 09:47 UTC>');
    expect(text).to.include('recording access');
  });

  it('transcoded: stage, human size, link', () => {
    const text = allText(build(fixtureEvent('transcoded')));
    expect(text).to.include('*Stage*\\n1').and.include('*Size*\\n46.0 MiB').and.include('|final-1.mp4>');
  });

  it('file-transfer: destination kind and account, each file', () => {
    const m = build(fixtureEvent('file-transfer'));
    expect(m.blocks![0]).to.deep.include({ text: { type: 'plain_text', text: 'Files delivered to S3', emoji: false } });
    expect(allText(m)).to.include('Amazon S3 (account media-archive-prod)').and.include('|final-1.mp4>');
    expect(allText(build(fixtureEvent('file-transfer-sftp')))).to.include('`sftp://files.example.com/video/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv`');
  });

  it('an unknown type names its type soberly', () => {
    const m = build(fixtureEvent('unknown-type'));
    expect(m.text).to.include('EnableX event: cdr-available');
  });

  it('a recording of 200 files stays within the limits and says how many more', () => {
    const m = build(recordingWithFiles(200));
    expect(slackLimitProblem({ ...m })).to.equal(null);
    expect(allText(m)).to.include('rec-20.mkv>').and.not.include('rec-21.mkv>');
    expect(allText(m)).to.include('_and 180 more_').and.include('*Files*\\n200');
  });

  it('very long URLs are packed into several sections of at most 3,000 characters', () => {
    const long = (i: number): string => `https://portal.enablex.io/${'x'.repeat(900)}/rec-${i}.mkv`;
    const m = build(fixtureEvent('recording', { recording: Array.from({ length: 20 }, (_, i) => long(i)) }));
    expect(slackLimitProblem({ ...m })).to.equal(null);
    expect(m.blocks!.filter((b) => b.type === 'section').length).to.be.greaterThan(5);
  });

  it('event data cannot inject Slack markup', () => {
    const m = build(fixtureEvent('roomdrop', { room_id: '<!channel> & <https://evil|click>' }));
    expect(m.text).to.include('&lt;!channel&gt; &amp; &lt;https://evil|click&gt;').and.not.include('<!channel>');
    expect(allText(m)).to.not.include('<!channel>');
  });

  it('withStatus adds the session line under the message, still within the limits', () => {
    const m = withStatus(build(recordingWithFiles(200)), 'ended · 2 recordings');
    expect(m.blocks!.at(-1)).to.deep.equal({ type: 'context', elements: [{ type: 'mrkdwn', text: '*Session:* ended · 2 recordings' }] });
    expect(slackLimitProblem({ ...m })).to.equal(null);
    expect(withStatus({ text: 'plain' }, 'ended').text).to.equal('plain\n*Session:* ended');
  });
});

describe('Slack message templates', () => {
  const event = fixtureEvent('transcoded');
  const text = (source: string) => compileTemplate(source, SLACK_TEXT);
  const blocks = (source: string) => compileTemplate(source, SLACK_BLOCKS);
  const EVIL = '<!channel> <https://evil.example/login|Click to re-authenticate> & more';
  const evil = fixtureEvent('unknown-type', { room_id: EVIL, note: 'x"}, {"type": "section", "text": {"type": "mrkdwn", "text": "<!here>"}}, {"type": "divider' });

  it('a text template alone sends plain text', async () => {
    const m = await renderSlackMessage({ text: text('Stage {{ stage }} of {{ room_id }}: {{ file_size | bytes }}'), blocks: null }, event);
    expect(m).to.deep.equal({ text: 'Stage 1 of 6750a8f1c2d3e4f5a6b7c8d9: 46.0 MiB' });
  });

  it('a text template that renders blank for an event gives way to the built-in text (the event does not die of it)', async () => {
    const blank = fixtureEvent('transcoded', { room_id: ' ' });
    const builtin = await renderSlackMessage({ text: null, blocks: null }, blank);
    const m = await renderSlackMessage({ text: text('{{ note }}{{ room_id }}'), blocks: null }, blank);
    expect(m).to.deep.equal({ text: builtin.text });
    const b = await renderSlackMessage({ text: text('{{ note }}{{ room_id }}'), blocks: blocks('[{"type": "divider"}]') }, blank);
    expect(b).to.deep.equal({ text: builtin.text, blocks: [{ type: 'divider' }] });
  });

  it('a text template escapes every event value for mrkdwn: no mention, no link', async () => {
    const m = await renderSlackMessage({ text: text('*Room* {{ room_id }} <https://portal.example|portal> {% echo room_id %}'), blocks: null }, evil);
    const escaped = '&lt;!channel&gt; &lt;https://evil.example/login|Click to re-authenticate&gt; &amp; more';
    // The admin's own markup stays markup; the event's is text.
    expect(m.text).to.equal(`*Room* ${escaped} <https://portal.example|portal> ${escaped}`);
  });

  it('capture escapes once, when the captured text is output; raw is not available', async () => {
    const m = await renderSlackMessage({ text: text('{% capture r %}Room {{ room_id }}{% endcapture %}{{ r }} {{ r | upcase }}'), blocks: null }, evil);
    expect(m.text).to.equal('Room &lt;!channel&gt; &lt;https://evil.example/login|Click to re-authenticate&gt; &amp; more ROOM &lt;!CHANNEL&gt; &lt;HTTPS://EVIL.EXAMPLE/LOGIN|CLICK TO RE-AUTHENTICATE&gt; &amp; MORE');
    expect(() => text('{{ room_id | raw }}')).to.throw(/raw filter is not available/);
    expect(() => blocks('[{"type": "divider", "x": "{{ room_id | raw }}"}]')).to.throw(/raw filter is not available/);
  });

  it('a blocks template renders JSON and keeps the built-in text as fallback', async () => {
    const m = await renderSlackMessage({ text: null, blocks: blocks('[{"type":"section","text":{"type":"mrkdwn","text":"{{ files | first }}"}}]') }, event);
    expect(m.blocks).to.deep.equal([{ type: 'section', text: { type: 'mrkdwn', text: event.files[0]!.url } }]);
    expect(m.text).to.match(/^Transcoded file ready: /);
  });

  it('a blocks template keeps its structure whatever an event value holds, and escapes mrkdwn', async () => {
    const tpl = blocks('[{"type":"section","text":{"type":"mrkdwn","text":"*{{ room_id }}* {{ note }}"}}, {"type": "context", "elements": [{"type": "mrkdwn", "text": {{ note }}}]}]');
    const m = await renderSlackMessage({ text: null, blocks: tpl }, evil);
    expect(m.blocks).to.have.length(2);
    const section = m.blocks![0] as unknown as { text: { text: string } };
    expect(section.text.text).to.equal(`*&lt;!channel&gt; &lt;https://evil.example/login|Click to re-authenticate&gt; &amp; more* x"}, {"type": "section", "text": {"type": "mrkdwn", "text": "&lt;!here&gt;"}}, {"type": "divider`);
    expect(JSON.stringify(m.blocks)).not.to.include('<!');
    expect((m.blocks![1] as unknown as { elements: unknown[] }).elements).to.have.length(1);
  });

  it('json in blocks: lists and objects on purpose, their strings escaped for mrkdwn too', async () => {
    const tpl = blocks('[{"type":"section","text":{"type":"mrkdwn","text":"x"},"fields":{{ facts | json }}}]');
    const m = await renderSlackMessage({ text: null, blocks: tpl }, fixtureEvent('unknown-type', { facts: [{ type: 'mrkdwn', text: '<!channel>' }] }));
    expect((m.blocks![0] as unknown as { fields: unknown[] }).fields).to.deep.equal([{ type: 'mrkdwn', text: '&lt;!channel&gt;' }]);
  });

  it('blocks that are not JSON are a template error; blocks an event makes too long are cut to the limits', async () => {
    const err = await renderSlackMessage({ text: null, blocks: blocks('[{"type": {{ room_id }}]') }, event).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error).with.property('code', 'template_error');
    const many = `[${Array.from({ length: 60 }, () => '{"type": "section", "text": {"type": "mrkdwn", "text": "{{ note }}"}}').join(',')}]`;
    const m = await renderSlackMessage({ text: null, blocks: blocks(many) }, fixtureEvent('unknown-type', { note: 'n'.repeat(5000) }));
    expect(m.blocks).to.have.length(50);
    expect(slackLimitProblem({ ...m })).to.equal(null);
  });
});
