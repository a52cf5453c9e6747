import { expect } from 'chai';
import { canonicalJson, dedupeKey } from '../../../src/ingest/dedupe-key.js';
import { parseBody } from '../../../src/ingest/parse.js';
import { fixtureBody, fixtureBytes } from './fixture.js';

const keyOf = (text: string): string => dedupeKey(parseBody(Buffer.from(text)));

describe('ingest: dedupeKey', () => {
  it('is a sha256 hex digest', () => {
    expect(dedupeKey(fixtureBody('roomdrop.json'))).to.match(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same body with other whitespace and key order, at every depth', () => {
    const pretty = fixtureBytes('file-transfer.json').toString('utf8');
    const body = fixtureBody('file-transfer.json');
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()));
    const nestedReordered = pretty.replace('"name": "awss3",\n    "host": "",', '"host": "", "name": "awss3",');
    expect(nestedReordered).not.to.equal(pretty);
    expect(keyOf(JSON.stringify(body))).to.equal(keyOf(pretty));
    expect(keyOf(reordered)).to.equal(keyOf(pretty));
    expect(keyOf(nestedReordered)).to.equal(keyOf(pretty));
  });

  it('differs when any value differs, including array order and number vs string', () => {
    const base = fixtureBody('recording.json');
    const key = dedupeKey(base);
    const urls = base.recording as string[];
    expect(dedupeKey({ ...base, conf_num: '917345202' })).not.to.equal(key);
    expect(dedupeKey({ ...base, recording: [...urls].reverse() })).not.to.equal(key);
    expect(dedupeKey({ ...base, trans_date: 1732700871 })).not.to.equal(key);
    expect(dedupeKey({ ...base, extra: null })).not.to.equal(key);
    expect(dedupeKey(fixtureBody('transcoded.json'))).not.to.equal(key);
  });

  it('treats equal numbers written differently as the same', () => {
    expect(keyOf('{"a": 1.0, "b": 1e3}')).to.equal(keyOf('{"b":1000,"a":1}'));
  });

  it('keeps a "__proto__" key as data: it changes the key and sets no prototype', () => {
    expect(keyOf('{"a":1,"__proto__":{"x":1}}')).not.to.equal(keyOf('{"a":1}'));
    expect(canonicalJson(parseBody(Buffer.from('{"b":1,"__proto__":{"x":1}}')))).to.equal('{"__proto__":{"x":1},"b":1}');
  });

  it('writes canonical JSON: sorted keys, no whitespace, strings escaped', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'é"' }], a: null })).to.equal('{"a":null,"b":[2,{"c":"é\\"","d":1}]}');
  });
});
