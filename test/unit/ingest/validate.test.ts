import { expect } from 'chai';
import { KNOWN_TYPES } from '../../../src/domain/event.js';
import { SchemaInvalidError, type ErrorDetail } from '../../../src/errors.js';
import { validateEvent } from '../../../src/ingest/validate.js';
import { fixtureBody } from './fixture.js';

function detailsOf(body: Record<string, unknown>): ErrorDetail[] {
  try {
    validateEvent(body);
  } catch (err) {
    expect(err).to.be.instanceOf(SchemaInvalidError);
    return (err as SchemaInvalidError).details;
  }
  throw new Error('expected SchemaInvalidError');
}

const with_ = (name: string, patch: Record<string, unknown>): Record<string, unknown> => ({ ...fixtureBody(name), ...patch });
const without = (name: string, ...keys: string[]): Record<string, unknown> => {
  const body = fixtureBody(name);
  for (const k of keys) delete body[k];
  return body;
};

describe('ingest: validateEvent', () => {
  for (const type of KNOWN_TYPES) {
    it(`accepts the ${type} fixture`, () => expect(() => validateEvent(fixtureBody(`${type}.json`))).not.to.throw());
  }

  describe('tolerant where the meaning is clear', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['trans_date in milliseconds', with_('roomdrop.json', { trans_date: 1732700512000 })],
      ['trans_date as a numeric string', with_('roomdrop.json', { trans_date: '1732700512' })],
      ['trans_date as ISO-8601 with Z', with_('roomdrop.json', { trans_date: '2024-11-27T09:41:52Z' })],
      ['trans_date as ISO-8601 with an offset and fraction', with_('roomdrop.json', { trans_date: '2024-11-27T10:41:52.250+01:00' })],
      ['trans_date as ISO-8601 without offset', with_('roomdrop.json', { trans_date: '2024-11-27T09:41:52' })],
      ['conf_num as a number', with_('roomdrop.json', { conf_num: 917345201 })],
      ['recording as one string for a recording event', with_('recording.json', { recording: 'https://portal.enablex.io/r/rec-1.mkv' })],
      ['recording as an array for a transcoded event', with_('transcoded.json', { recording: ['https://portal.enablex.io/r/final-1.mp4'] })],
      ['file_size and stage as numbers', with_('transcoded.json', { file_size: 48213377, stage: 1 })],
      ['transcoded without stage and file_size', without('transcoded.json', 'stage', 'file_size')],
      ['fields the vendor added later', with_('recording.json', { duration: 1804, meta: { region: 'eu' } })],
      ['an unknown type with the common fields', fixtureBody('unknown-type.json')],
      ['file-transfer to sftp, with extra fields', fixtureBody('file-transfer-sftp.json')],
      ['recording single-url fixture', fixtureBody('recording-single-url.json')],
      ['transcoded array fixture', fixtureBody('transcoded-array-numbers.json')],
      ...['AWSS3', 'azure', 'gdrive', 'scp', 'Backblaze B2', ''].map((name): [string, Record<string, unknown>] => [
        `file-transfer to a storage named ${JSON.stringify(name)}`,
        with_('file-transfer.json', { destination: { name, host: 'x' } }),
      ]),
      ['stage "" and file_size null (left out by the vendor)', with_('transcoded.json', { stage: '', file_size: null })],
      ['stage null and file_size "  "', with_('transcoded.json', { stage: null, file_size: '  ' })],
      ['a file URL with a space', with_('recording.json', { recording: ['https://portal.enablex.io/r/my rec 1.mkv'] })],
      ['a file-transfer URL with a space and non-ASCII', with_('file-transfer.json', { files: [{ url: ' sftp://host/vidéo/rec 1.mkv ' }] })],
      ['trans_date with an hours-only offset', with_('roomdrop.json', { trans_date: '2024-11-27T14:41:52+05' })],
    ];
    for (const [name, body] of cases) it(`accepts ${name}`, () => expect(() => validateEvent(body)).not.to.throw());
  });

  describe('strict where it is not', () => {
    it('rejects an unknown type that lacks app_id, checked against the common fields', () => {
      expect(detailsOf(fixtureBody('invalid-unknown-type-no-app-id.json'))).to.deep.equal([{ path: '/app_id', message: 'is required' }]);
    });

    it('lists every error, one per problem, with its path: missing app_id AND room_id gives 2', () => {
      expect(detailsOf(without('roomdrop.json', 'app_id', 'room_id'))).to.deep.equal([
        { path: '/app_id', message: 'is required' },
        { path: '/room_id', message: 'is required' },
      ]);
    });

    it('names the bad item of a URL array rather than ajv anyOf noise', () => {
      const details = detailsOf(fixtureBody('invalid-recording-bad-fields.json'));
      expect(details).to.deep.equal([
        { path: '/app_id', message: 'is required' },
        { path: '/trans_date', message: 'must be a Unix timestamp (seconds or milliseconds, as a number or numeric string) or an ISO-8601 date-time' },
        { path: '/recording/1', message: 'must be a URL string' },
        { path: '/recording/2', message: 'must be a URL string' },
      ]);
      for (const d of details) expect(d.message).not.to.match(/anyOf|must match a schema/);
    });

    it('gives one message for a value of no accepted form', () => {
      expect(detailsOf(with_('recording.json', { recording: 42 }))).to.deep.equal([
        { path: '/recording', message: 'must be a URL string or a non-empty array of URL strings' },
      ]);
      expect(detailsOf(with_('recording.json', { recording: [] }))).to.deep.equal([
        { path: '/recording', message: 'must be a URL string or a non-empty array of URL strings' },
      ]);
    });

    it('rejects the vendor placeholders: trans_date "Unix Timestamp", stage and file_size "String"', () => {
      const body = with_('transcoded.json', { trans_date: 'Unix Timestamp', stage: 'String', file_size: 'String', conf_num: '' });
      expect(detailsOf(body).map((d) => d.path)).to.deep.equal(['/trans_date', '/conf_num', '/stage', '/file_size']);
    });

    it('rejects a negative or fractional file_size and stage', () => {
      expect(detailsOf(with_('transcoded.json', { file_size: -1, stage: 1.5 })).map((d) => d.path)).to.deep.equal(['/stage', '/file_size']);
    });

    it('rejects an empty string for the ids and a type that is not a string', () => {
      expect(detailsOf(with_('roomdrop.json', { app_id: '', room_id: 7 }))).to.deep.equal([
        { path: '/app_id', message: 'must not be empty' },
        { path: '/room_id', message: 'must be a string' },
      ]);
      expect(detailsOf(with_('roomdrop.json', { type: 5 }))).to.deep.equal([{ path: '/type', message: 'must be a string' }]);
    });

    it('checks file-transfer destinations and files', () => {
      const body = with_('file-transfer.json', { destination: { name: 7 }, files: [{}, { url: 3 }] });
      expect(detailsOf(body)).to.deep.equal([
        { path: '/destination/name', message: 'must be a string' },
        { path: '/files/0/url', message: 'is required' },
        { path: '/files/1/url', message: 'must be a URL string' },
      ]);
      expect(detailsOf(without('file-transfer.json', 'files', 'destination')).map((d) => d.path)).to.deep.equal(['/destination', '/files']);
    });

    it('keeps strict what has no meaning: no type, a destination that is not an object, a URL without a scheme or with a line break', () => {
      expect(detailsOf(without('roomdrop.json', 'type'))).to.deep.equal([{ path: '/type', message: 'is required' }]);
      expect(detailsOf(with_('file-transfer.json', { destination: 'awss3' }))).to.deep.equal([{ path: '/destination', message: 'must be an object' }]);
      expect(detailsOf(with_('recording.json', { recording: ['rec 1.mkv', 'https://x/a\nb', 'https://x/\u0000'] })).map((d) => d.path)).to.deep.equal(['/recording/0', '/recording/1', '/recording/2']);
      expect(detailsOf(with_('transcoded.json', { stage: 'one', file_size: [] })).map((d) => d.path)).to.deep.equal(['/stage', '/file_size']);
    });

    it('names the type in the error message and counts the errors', () => {
      try {
        validateEvent(without('recording.json', 'recording'));
        expect.fail('expected SchemaInvalidError');
      } catch (err) {
        expect((err as SchemaInvalidError).message).to.equal('"recording" event does not match its schema (1 error)');
        expect((err as SchemaInvalidError).httpStatus).to.equal(422);
      }
    });
  });
});
