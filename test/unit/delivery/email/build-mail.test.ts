import { expect } from 'chai';
import { buildMail, MAX_FILES_MAILED, type MailContent } from '../../../../src/delivery/email/build-mail.js';
import { renderMail } from '../../../../src/delivery/email/render-mail.js';
import { describeEvent } from '../../../../src/delivery/messages/describe-event.js';
import { eventView } from '../../../../src/domain/event-view.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import { compileTemplate } from '../../../../src/templates/engine.js';
import { FIXTURES, fixtureEvent, recordingWithFiles } from '../fixtures/delivery-fixtures.js';

const build = (e: RelayEvent): MailContent => buildMail(describeEvent(eventView(e)), e.id);

describe('built-in mails', () => {
  for (const name of FIXTURES) {
    it(`${name}: subject, text and HTML say the same facts`, () => {
      const m = build(fixtureEvent(name));
      expect(m.subject).to.match(/: room 6750a8f1c2d3e4f5a6b7c8d9, conference 917345201$/);
      expect(m.text).to.include('Room:').and.include('6750a8f1c2d3e4f5a6b7c8d9').and.include('917345201');
      expect(m.html).to.include('<th align="left" style="padding:2px 12px 2px 0;vertical-align:top">Conference</th>');
    });
  }

  it('roomdrop', () => {
    const m = build(fixtureEvent('roomdrop'));
    expect(m.subject).to.equal('Session ended: room 6750a8f1c2d3e4f5a6b7c8d9, conference 917345201');
    expect(m.text).to.match(/^Ended: +2024-11-27 09:41 UTC$/m);
  });

  it('recording: every file as a link, how many, until when, credentials', () => {
    const m = build(fixtureEvent('recording'));
    expect(m.subject).to.equal('Recording ready: room 6750a8f1c2d3e4f5a6b7c8d9, conference 917345201');
    expect(m.text).to.match(/^Links work until: +2024-11-30 09:47 UTC$/m);
    expect(m.text).to.include('- rec-1.mkv\n  https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv');
    expect(m.html).to.include('<a href="https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-2.mkv">rec-2.mkv</a>');
    expect(m.html).to.include('2024-11-30 09:47 UTC').and.include('&quot;recording access&quot; credentials');
  });

  it('transcoded: stage and human size', () => {
    const m = build(fixtureEvent('transcoded'));
    expect(m.text).to.match(/^Size: +46\.0 MiB$/m).and.match(/^Stage: +1$/m);
    expect(m.html).to.include('<td style="padding:2px 12px 2px 0;vertical-align:top">46.0 MiB</td>').and.include('>final-1.mp4</a>');
  });

  it('file-transfer: destination, files; non-web URLs are not links', () => {
    expect(build(fixtureEvent('file-transfer')).text).to.match(/^Delivered to: +Amazon S3 \(account media-archive-prod\)$/m);
    const sftp = build(fixtureEvent('file-transfer-sftp'));
    expect(sftp.subject).to.match(/^Files delivered to SFTP:/);
    expect(sftp.html).to.include('<code>sftp://files.example.com/video/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv</code>').and.not.include('href="sftp:');
  });

  it('escapes event data in HTML and keeps the subject on one line', () => {
    const m = build(fixtureEvent('roomdrop', { room_id: '<script>alert("x")</script>\r\nBcc: a@b' }));
    expect(m.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;').and.not.include('<script>');
    expect(m.subject).to.not.match(/[\r\n]/);
  });

  it('a huge recording lists the first files and says how many more', () => {
    const m = build(recordingWithFiles(MAX_FILES_MAILED + 7));
    expect(m.text).to.include(`rec-${MAX_FILES_MAILED}.mkv`).and.include('- and 7 more').and.not.include(`rec-${MAX_FILES_MAILED + 1}.mkv`);
    expect(m.html).to.include('<li>and 7 more</li>');
  });
});

describe('mail templates', () => {
  const e = fixtureEvent('transcoded', { room_id: 'R&D <lab>' });

  it('a subject template replaces only the subject', async () => {
    const m = await renderMail({ subject: compileTemplate('[{{ type }}] {{ room_id }}\n{{ file_size | bytes }}'), text: null, html: null }, e);
    expect(m.subject).to.equal('[transcoded] R&D <lab> 46.0 MiB');
    expect(m.text).to.include('Transcoded file ready');
  });

  it('body templates replace both bodies; HTML templates see escaped values', async () => {
    const m = await renderMail({ subject: null, text: null, html: compileTemplate('<p>{{ room_id }}</p>') }, e);
    expect(m).to.deep.equal({ subject: 'Transcoded file ready: room R&D <lab>, conference 917345201', html: '<p>R&amp;D &lt;lab&gt;</p>' });
    const t = await renderMail({ subject: null, text: compileTemplate('{{ room_id }}'), html: null }, e);
    expect(t.text).to.equal('R&D <lab>');
    expect(t).to.not.have.property('html');
  });

  it('templates that render blank for an event give way to the built-in subject and bodies', async () => {
    const blank = fixtureEvent('transcoded', { room_id: ' ' });
    const builtin = await renderMail({ subject: null, text: null, html: null }, blank);
    const m = await renderMail({ subject: compileTemplate('{{ note }} {{ room_id }}'), text: compileTemplate('{{ note }}'), html: compileTemplate(' {{ room_id }} ') }, blank);
    expect(m).to.deep.equal(builtin);
    const bodyOnly = await renderMail({ subject: compileTemplate('[{{ type }}]'), text: compileTemplate('{{ note }}'), html: null }, blank);
    expect(bodyOnly).to.deep.equal({ ...builtin, subject: '[transcoded]' });
  });
});
