import { expect } from 'chai';
import fc from 'fast-check';
import { formatSessionKey, parseSessionKey, SessionKeyError } from '../../../src/sessions/session-key.js';
import { storedText } from '../../../src/sessions/stored-text.js';

describe('session keys', () => {
  it('are the three parts, percent-encoded, joined by ~', () => {
    expect(formatSessionKey({ appId: '64f0a1', roomId: '5f3e2b', confNum: '1234' })).to.equal('64f0a1~5f3e2b~1234');
    expect(formatSessionKey({ appId: 'a~b', roomId: 'r/1 x', confNum: '%' })).to.equal('a%7Eb~r%2F1%20x~%25');
    expect(parseSessionKey('a%7Eb~r%2F1%20x~%25')).to.deep.equal({ appId: 'a~b', roomId: 'r/1 x', confNum: '%' });
  });

  it('parse(format(x)) is x for any text a store keeps (a lone surrogate or NUL is U+FFFD, as stored)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (appId, roomId, confNum) => {
        fc.pre(appId !== '' || roomId !== '' || confNum !== '');
        const key = formatSessionKey({ appId, roomId, confNum });
        expect(key.split('~')).to.have.length(3);
        expect(parseSessionKey(key)).to.deep.equal({ appId: storedText(appId), roomId: storedText(roomId), confNum: storedText(confNum) });
      }),
    );
  });

  it('refuses anything formatSessionKey could not have written, with a typed error', () => {
    for (const bad of ['', 'a~b', 'a~b~c~d', 'a~b~%zz', 'a~b~%41', 'a b~c~d', '~~', 'a~b~c/d']) {
      expect(() => parseSessionKey(bad), bad).to.throw(SessionKeyError).with.property('httpStatus', 400);
    }
    expect(parseSessionKey('~~1')).to.deep.equal({ appId: '', roomId: '', confNum: '1' });
  });
});
