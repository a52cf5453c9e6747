import { expect } from 'chai';
import { eventView } from '../../../../src/domain/event-view.js';
import { describeEvent, type EventDescription } from '../../../../src/delivery/messages/describe-event.js';
import { factText, formatTime } from '../../../../src/delivery/messages/format-time.js';
import { fileName, isLinkable } from '../../../../src/delivery/messages/file-name.js';
import { fixtureEvent, type FixtureName } from '../fixtures/delivery-fixtures.js';

const describe_ = (name: FixtureName, patch?: Record<string, unknown>): EventDescription => describeEvent(eventView(fixtureEvent(name, patch)));
const fact = (d: EventDescription, label: string): string | undefined => {
  const f = d.facts.find((x) => x.label === label);
  return f && factText(f);
};

describe('describeEvent', () => {
  it('roomdrop: session ended, with room, conference and when', () => {
    const d = describe_('roomdrop');
    expect(d.title).to.equal('Session ended');
    expect(d.headline).to.equal('The video session in room 6750a8f1c2d3e4f5a6b7c8d9 (conference 917345201) has ended.');
    expect(fact(d, 'Room')).to.equal('6750a8f1c2d3e4f5a6b7c8d9');
    expect(fact(d, 'Conference')).to.equal('917345201');
    expect(fact(d, 'Ended')).to.equal('2024-11-27 09:41 UTC');
    expect(d.files).to.deep.equal([]);
    expect(d.notes.join(' ')).to.include('/video/v2/cdr/conf/917345201');
  });

  it('recording: every file, how many, until when the links work, the credentials note', () => {
    const d = describe_('recording');
    expect(d.title).to.equal('Recording ready');
    expect(d.headline).to.match(/^2 recording files are ready for room 6750a8f1c2d3e4f5a6b7c8d9/);
    expect(d.files.map((f) => f.name)).to.deep.equal(['rec-1.mkv', 'rec-2.mkv']);
    expect(d.files.every((f) => f.linkable && f.url.startsWith('https://portal.enablex.io/'))).to.equal(true);
    expect(fact(d, 'Files')).to.equal('2');
    // trans_date 1732700871 = 2024-11-27 09:47:51 UTC; + 72 h
    expect(d.expiresAt).to.equal('2024-11-30T09:47:51.000Z');
    expect(fact(d, 'Links work until')).to.equal('2024-11-30 09:47 UTC');
    expect(d.notes.join(' ')).to.include('"recording access" credentials');
  });

  it('recording with one file says so in the singular', () => {
    expect(describe_('recording', { recording: ['https://x.example/a.mkv'] }).headline).to.match(/^1 recording file is ready/);
  });

  it('transcoded: stage, human size, link, expiry', () => {
    const d = describe_('transcoded');
    expect(d.title).to.equal('Transcoded file ready');
    expect(fact(d, 'Stage')).to.equal('1');
    expect(fact(d, 'Size')).to.equal('46.0 MiB');
    expect(d.headline).to.include('Transcoded file 1 (46.0 MiB) is ready');
    expect(d.files.map((f) => f.name)).to.deep.equal(['final-1.mp4']);
    expect(fact(d, 'Links work until')).to.equal('2024-11-30 09:53 UTC');
  });

  it('file-transfer to S3: destination kind and account, each file, no portal expiry', () => {
    const d = describe_('file-transfer');
    expect(d.title).to.equal('Files delivered to S3');
    expect(fact(d, 'Delivered to')).to.equal('Amazon S3 (account media-archive-prod)');
    expect(d.headline).to.equal('1 file was delivered to Amazon S3 (account media-archive-prod) for room 6750a8f1c2d3e4f5a6b7c8d9 (conference 917345201).');
    expect(d.files[0]!.url).to.equal('https://media-archive-prod.s3.amazonaws.com/6750a8f1c2d3e4f5a6b7c8d9/917345201/final-1.mp4');
    expect(d.expiresAt).to.equal(null);
    expect(d.notes.join(' ')).to.include('<root>/6750a8f1c2d3e4f5a6b7c8d9/917345201/');
  });

  it('file-transfer to SFTP: host, files shown but not as web links', () => {
    const d = describe_('file-transfer-sftp');
    expect(fact(d, 'Delivered to')).to.equal('SFTP (host files.example.com)');
    expect(d.files).to.have.length(2);
    expect(d.files.every((f) => !f.linkable)).to.equal(true);
  });

  it('an unknown type gets a sober message naming the type', () => {
    const d = describe_('unknown-type');
    expect(d.known).to.equal(false);
    expect(d.title).to.equal('EnableX event: cdr-available');
    expect(d.headline).to.equal('EnableX sent a "cdr-available" event for room 6750a8f1c2d3e4f5a6b7c8d9 (conference 917345201).');
    expect(fact(d, 'Type')).to.equal('cdr-available');
    expect(d.expiresAt).to.equal(null);
  });
});

describe('message helpers', () => {
  it('formatTime gives minutes in UTC, null for nothing', () => {
    expect(formatTime('2024-11-27T09:47:51.000Z')).to.equal('2024-11-27 09:47 UTC');
    expect(formatTime(null)).to.equal(null);
    expect(formatTime('not a date')).to.equal(null);
  });

  it('fileName takes the last path segment, decoded, else the URL', () => {
    expect(fileName('https://h/a/b/rec%201.mkv?sig=x')).to.equal('rec 1.mkv');
    expect(fileName('https://h/')).to.equal('https://h/');
    expect(isLinkable('https://h/a')).to.equal(true);
    expect(isLinkable('sftp://h/a')).to.equal(false);
    expect(isLinkable('javascript:alert(1)')).to.equal(false);
  });
});
