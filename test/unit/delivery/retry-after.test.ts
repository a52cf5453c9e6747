import { expect } from 'chai';
import { retryAfter } from '../../../src/delivery/retry-after.js';

const NOW = new Date('2025-03-01T10:00:00.000Z');

describe('Retry-After parsing', () => {
  it('delta seconds', () => {
    expect(retryAfter('120', NOW)).to.equal(120_000);
    expect(retryAfter(' 0 ', NOW)).to.equal(0);
  });

  it('an HTTP date, relative to now', () => {
    expect(retryAfter('Sat, 01 Mar 2025 10:01:30 GMT', NOW)).to.equal(90_000);
    expect(retryAfter('Saturday, 01-Mar-25 10:01:30 GMT', NOW)).to.equal(90_000);
    expect(retryAfter('Sat Mar  1 10:01:30 2025', NOW)).to.equal(90_000);
  });

  it('a date in the past means now', () => {
    expect(retryAfter('Fri, 28 Feb 2025 10:00:00 GMT', NOW)).to.equal(0);
  });

  it('garbage is ignored', () => {
    for (const v of [undefined, null, '', 'soon', '-5', '1.5', '12abc', '2025-03-01', 'Sat, 99 Foo 2025 nonsense', '99999999999999999999']) {
      expect(retryAfter(v, NOW), String(v)).to.equal(undefined);
    }
  });
});
