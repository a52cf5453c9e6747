import { expect } from 'chai';
import { eventView } from '../../../src/domain/event-view.js';
import { normalizeEvent } from '../../../src/ingest/normalize.js';
import { occurredAt } from '../../../src/ingest/occurred-at.js';
import { fixtureBody } from './fixture.js';

const RECEIVED = new Date('2024-11-27T10:00:00.000Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function normalize(body: Record<string, unknown>) {
  return normalizeEvent(body, Buffer.from(JSON.stringify(body)), 'application/json', RECEIVED);
}

describe('ingest: occurredAt (trans_date)', () => {
  const cases: [unknown, string | null][] = [
    [1732700871, '2024-11-27T09:47:51.000Z'],
    ['1732700871', '2024-11-27T09:47:51.000Z'],
    [' 1732700871 ', '2024-11-27T09:47:51.000Z'],
    [1732700871250, '2024-11-27T09:47:51.250Z'],
    ['1732700871250', '2024-11-27T09:47:51.250Z'],
    [1732700871.5, '2024-11-27T09:47:51.500Z'],
    ['2024-11-27T09:47:51Z', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27T10:47:51+01:00', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27T09:47:51', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27 09:47:51.125', '2024-11-27T09:47:51.125Z'],
    // Offsets as the schema's iso-date-time accepts them: hours only, no colon, lower case.
    ['2024-11-27T14:47:51+05', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27T15:17:51+0530', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27T15:17:51+05:30', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27T04:47:51-05', '2024-11-27T09:47:51.000Z'],
    ['2024-11-27t09:47:51.5z', '2024-11-27T09:47:51.500Z'],
    ['2024-11-27T09:47:51.123456789Z', '2024-11-27T09:47:51.123Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    // Any whitespace separates date and time for the schema's iso-date-time: so it does here.
    ['2024-11-27\t09:47:51Z', '2024-11-27T09:47:51.000Z'],
    // Formats JavaScript would read in the server's own zone are not read at all.
    ['11/27/2024 09:47', null],
    ['Nov 27 2024 09:47:51', null],
    [0, '1970-01-01T00:00:00.000Z'],
    // Seconds, but the year 33658: no event's time.
    [999_999_999_999, null],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    // The last valid JavaScript date: its expires_at (+72 h) would not be one.
    [8_640_000_000_000_000, null],
    [1e12, '2001-09-09T01:46:40.000Z'],
    [9e15, null],
    ['99999999999999999999', null],
    [-5, null],
    [Number.NaN, null],
    ['Unix Timestamp', null],
    [null, null],
    [undefined, null],
    [{}, null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input) ?? String(input)} -> ${expected}`, () => expect(occurredAt(input)).to.equal(expected));
  }
});

describe('ingest: normalizeEvent', () => {
  it('maps the common fields, with a UUIDv7 id and receivedAt', () => {
    const e = normalize(fixtureBody('roomdrop.json'));
    expect(e.id).to.match(UUID_V7);
    expect(e).to.include({
      type: 'roomdrop',
      appId: '64f0c1a2e7b9d81f2c3a4b5c',
      roomId: '6750a8f1c2d3e4f5a6b7c8d9',
      confNum: '917345201',
      occurredAt: '2024-11-27T09:41:52.000Z',
      receivedAt: '2024-11-27T10:00:00.000Z',
      contentType: 'application/json',
    });
    expect(e.files).to.deep.equal([]);
    expect(e).not.to.have.any.keys('stage', 'fileSize', 'destination');
  });

  it('gives sortable ids: later events sort after earlier ones', () => {
    const ids = Array.from({ length: 50 }, () => normalize(fixtureBody('roomdrop.json')).id);
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(50);
  });

  it('turns a numeric conf_num into a string', () => {
    expect(normalize({ ...fixtureBody('roomdrop.json'), conf_num: 917345201 }).confNum).to.equal('917345201');
  });

  it('takes files from a recording string and from a recording array', () => {
    expect(normalize(fixtureBody('recording-single-url.json')).files).to.deep.equal([
      { url: 'https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv' },
    ]);
    expect(normalize(fixtureBody('transcoded-array-numbers.json')).files).to.have.length(1);
  });

  it('takes files from files[].url and the destination from file-transfer', () => {
    const e = normalize(fixtureBody('file-transfer-sftp.json'));
    expect(e.files.map((f) => f.url)).to.deep.equal([
      'sftp://files.example.com/video/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv',
      'sftp://files.example.com/video/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-2.mkv',
    ]);
    expect(e.destination).to.deep.equal({ name: 'sftp', host: 'files.example.com', account: '' });
  });

  it('normalizes what the vendor spells loosely: storage names lower-cased, spaces in file URLs encoded', () => {
    const e = normalize({
      ...fixtureBody('file-transfer-sftp.json'),
      destination: { name: ' AWSS3 ', account: 'media' },
      files: [{ url: ' https://media.s3.amazonaws.com/r/my rec 1.mkv ' }],
    });
    expect(e.destination).to.deep.equal({ name: 'awss3', account: 'media' });
    expect(e.files).to.deep.equal([{ url: 'https://media.s3.amazonaws.com/r/my%20rec%201.mkv' }]);
    // The body (and the raw bytes) stay as sent; rules and templates see the normalized name and files.
    expect((e.body.destination as { name: string }).name).to.equal(' AWSS3 ');
    const view = eventView(e);
    expect(view.destination).to.deep.equal({ name: 'awss3', account: 'media' });
    expect(view.files).to.deep.equal(['https://media.s3.amazonaws.com/r/my%20rec%201.mkv']);
  });

  it('stage "" and file_size null are unknown, not zero', () => {
    const e = normalize({ ...fixtureBody('transcoded.json'), stage: '', file_size: null });
    expect(e).not.to.have.any.keys('stage', 'fileSize');
    expect(eventView(e).file_size_bytes).to.equal(null);
  });

  it('reads stage and file_size as numbers, from numbers or numeric strings', () => {
    expect(normalize(fixtureBody('transcoded.json'))).to.include({ stage: 1, fileSize: 48213377 });
    expect(normalize(fixtureBody('transcoded-array-numbers.json'))).to.include({ stage: 2, fileSize: 1048576 });
  });

  it('reads the fields of an unknown type defensively: odd shapes are left out, not a crash', () => {
    const e = normalize({
      ...fixtureBody('unknown-type.json'),
      recording: [1, 'https://x.example/a', null],
      files: 'nope',
      stage: 'first',
      file_size: {},
      destination: { host: 'h' },
    });
    expect(e.type).to.equal('cdr-available');
    expect(e.files).to.deep.equal([{ url: 'https://x.example/a' }]);
    expect(e).not.to.have.any.keys('stage', 'fileSize', 'destination');
  });

  it('keeps the body, the raw bytes and the content type as given', () => {
    const body = fixtureBody('recording.json');
    const raw = Buffer.from('  raw bytes  ');
    const e = normalizeEvent(body, raw, null, RECEIVED);
    expect(e.body).to.equal(body);
    expect(e.raw).to.equal(raw);
    expect(e.contentType).to.equal(null);
    expect(e.dedupeKey).to.match(/^[0-9a-f]{64}$/);
  });
});
