import { expect } from 'chai';
import { InvalidJsonError } from '../../../src/errors.js';
import { MAX_DEPTH, parseBody } from '../../../src/ingest/parse.js';
import { fixtureBytes } from './fixture.js';

function parseError(raw: Buffer | string): InvalidJsonError {
  try {
    parseBody(typeof raw === 'string' ? Buffer.from(raw) : raw);
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidJsonError);
    return err as InvalidJsonError;
  }
  throw new Error('expected InvalidJsonError');
}

describe('ingest: parseBody', () => {
  it('parses a fixture into the object it holds', () => {
    const body = parseBody(fixtureBytes('transcoded.json'));
    expect(body).to.include({ type: 'transcoded', stage: '1', file_size: '48213377' });
  });

  it("rejects the vendor documentation's sample (comments, placeholders, trailing comma) with line, column and position", () => {
    const err = parseError(fixtureBytes('invalid-doc-sample.txt'));
    expect(err.code).to.equal('invalid_json');
    expect(err.httpStatus).to.equal(400);
    expect(err.message).to.include('line 3, column 36 (position 62)');
    expect(err.message).to.include('/* In UTC');
  });

  it('says "body is empty" for no bytes and for whitespace only', () => {
    expect(parseError('').message).to.match(/body is empty$/);
    expect(parseError(' \r\n\t').message).to.match(/body is empty$/);
  });

  it('reports a truncated body as an unexpected end', () => {
    expect(parseError('{"type": ').message).to.include('unexpected end of input at line 1, column 10');
    expect(parseError('{"type": "roomdrop"').message).to.include("Expected ',' or '}' after property value at line 1, column 20 (position 19)");
  });

  for (const [text, kind] of [
    ['[]', 'an array'],
    ['null', 'null'],
    ['42', 'a number'],
    ['"roomdrop"', 'a string'],
    ['true', 'a boolean'],
  ] as const) {
    it(`rejects a top-level ${kind}: the body must be an object`, () => {
      expect(parseError(text).message).to.include(`expected an object at the top level, got ${kind}`);
    });
  }

  it('rejects the top-level array fixture', () => {
    expect(parseError(fixtureBytes('invalid-top-level-array.json')).message).to.include('got an array');
  });

  it('strips a UTF-8 byte order mark', () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes('roomdrop.json')]);
    expect(parseBody(raw).type).to.equal('roomdrop');
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(parseError(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])).message).to.include('not valid UTF-8');
  });

  it(`rejects nesting deeper than ${MAX_DEPTH} levels (it would overflow the stack later) and accepts ${MAX_DEPTH}`, () => {
    const nested = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    expect(() => parseBody(Buffer.from(nested(MAX_DEPTH)))).not.to.throw();
    expect(parseError(nested(MAX_DEPTH + 1)).message).to.include('nested deeper');
    const hostile = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(parseError(hostile).message).to.include('nested deeper');
  });

  it('keeps a "__proto__" key as plain data: no prototype is set, nothing is polluted', () => {
    const body = parseBody(fixtureBytes('proto-key.json'));
    expect(Object.getPrototypeOf(body)).to.equal(Object.prototype);
    expect(Object.keys(body)).to.include('__proto__');
    expect(body.app_id).to.equal('64f0c1a2e7b9d81f2c3a4b5c');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    // The way the relay copies bodies (spread) keeps the key as data too.
    const copy = { ...body };
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect((copy as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
