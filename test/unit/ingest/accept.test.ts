import { expect } from 'chai';
import { InvalidJsonError, SchemaInvalidError } from '../../../src/errors.js';
import { acceptPayload } from '../../../src/ingest/accept.js';
import { fixtureBytes, fixtureNames } from './fixture.js';

const RECEIVED = new Date('2024-11-27T12:00:00.000Z');
const ROOM = '6750a8f1c2d3e4f5a6b7c8d9';
const PORTAL = `https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/${ROOM}/917345201`;

describe('ingest: acceptPayload (parse -> validate -> normalize)', () => {
  it('roomdrop fixture', () => {
    const e = acceptPayload(fixtureBytes('roomdrop.json'), 'application/json', RECEIVED);
    expect(e).to.include({ type: 'roomdrop', appId: '64f0c1a2e7b9d81f2c3a4b5c', roomId: ROOM, confNum: '917345201' });
    expect(e.occurredAt).to.equal('2024-11-27T09:41:52.000Z');
    expect(e.receivedAt).to.equal('2024-11-27T12:00:00.000Z');
    expect(e.files).to.deep.equal([]);
  });

  it('recording fixture: trans_date "1732700871" as seconds, both files', () => {
    const e = acceptPayload(fixtureBytes('recording.json'), 'application/json', RECEIVED);
    expect(e.occurredAt).to.equal('2024-11-27T09:47:51.000Z');
    expect(e.files).to.deep.equal([{ url: `${PORTAL}/rec-1.mkv` }, { url: `${PORTAL}/rec-2.mkv` }]);
  });

  it('transcoded fixture: one file, stage 1, fileSize 48213377', () => {
    const e = acceptPayload(fixtureBytes('transcoded.json'), 'application/json', RECEIVED);
    expect(e.occurredAt).to.equal('2024-11-27T09:53:10.000Z');
    expect(e.files).to.deep.equal([{ url: `${PORTAL}/final-1.mp4` }]);
    expect(e.stage).to.equal(1);
    expect(e.fileSize).to.equal(48213377);
  });

  it('file-transfer fixture: files[].url and the destination', () => {
    const e = acceptPayload(fixtureBytes('file-transfer.json'), 'application/json', RECEIVED);
    expect(e.occurredAt).to.equal('2024-11-27T10:06:43.000Z');
    expect(e.files).to.deep.equal([{ url: `https://media-archive-prod.s3.amazonaws.com/${ROOM}/917345201/final-1.mp4` }]);
    expect(e.destination).to.deep.equal({ name: 'awss3', host: '', account: 'media-archive-prod' });
  });

  it('file-transfer to Azure with a space in a file name: accepted, normalized', () => {
    const e = acceptPayload(fixtureBytes('file-transfer-azure.json'), 'application/json', RECEIVED);
    expect(e.destination).to.deep.equal({ name: 'azure', host: '', account: 'mediaarchive' });
    expect(e.files).to.deep.equal([{ url: `https://mediaarchive.blob.core.windows.net/video/${ROOM}/917345201/Board%20meeting.mp4` }]);
  });

  it('transcoded with stage "", file_size null and a trans_date ending in +05: accepted, with its real time', () => {
    const e = acceptPayload(fixtureBytes('transcoded-unfilled.json'), 'application/json', RECEIVED);
    expect(e.occurredAt).to.equal('2024-11-27T10:23:10.000Z');
    expect(e).not.to.have.any.keys('stage', 'fileSize');
  });

  it('keeps the raw bytes exactly and the body as parsed, whatever the content type', () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes('recording.json'), Buffer.from('\r\n')]);
    const e = acceptPayload(raw, 'text/plain; charset=utf-8', RECEIVED);
    expect(Buffer.compare(e.raw, raw)).to.equal(0);
    expect(e.contentType).to.equal('text/plain; charset=utf-8');
    expect(e.body).to.deep.equal(JSON.parse(fixtureBytes('recording.json').toString('utf8')));
  });

  it('accepts an unknown type and routes it under its own name', () => {
    const e = acceptPayload(fixtureBytes('unknown-type.json'), null, RECEIVED);
    expect(e.type).to.equal('cdr-available');
    expect(e.body.cdr).to.deep.equal({ duration_s: 1804, participants: 3 });
  });

  it('gives the same dedupe key to the same body sent twice, and distinct ids', () => {
    const a = acceptPayload(fixtureBytes('transcoded.json'), null, RECEIVED);
    const b = acceptPayload(Buffer.from(JSON.stringify(a.body)), null, RECEIVED);
    expect(b.dedupeKey).to.equal(a.dedupeKey);
    expect(b.id).not.to.equal(a.id);
  });

  it('answers the vendor documentation sample with InvalidJsonError (400)', () => {
    expect(() => acceptPayload(fixtureBytes('invalid-doc-sample.txt'), 'application/json', RECEIVED)).to.throw(InvalidJsonError);
  });

  it('answers a schema failure with SchemaInvalidError (422)', () => {
    expect(() => acceptPayload(fixtureBytes('invalid-unknown-type-no-app-id.json'), null, RECEIVED)).to.throw(SchemaInvalidError);
  });

  it('accepts every fixture not named invalid-*, rejects every invalid-* one with a typed error', () => {
    const names = fixtureNames();
    expect(names.length).to.be.greaterThan(8);
    for (const name of names) {
      const run = (): unknown => acceptPayload(fixtureBytes(name), null, RECEIVED);
      if (name.startsWith('invalid-')) {
        expect(run, name).to.throw().that.satisfies((e: unknown) => e instanceof InvalidJsonError || e instanceof SchemaInvalidError);
      } else {
        expect(run, name).not.to.throw();
      }
    }
  });
});
