import { expect } from 'chai';
import { SecretHistory } from '../../../src/secrets/secret-history.js';

describe('secrets/SecretHistory', () => {
  it('keeps the union of every list added, and the same array while nothing new comes', () => {
    const h = new SecretHistory();
    h.add(['static-1', 'rules-a']);
    const first = h.list();
    h.add(['static-1', 'rules-a']);
    expect(h.list()).to.equal(first);
    h.add(['static-1', 'rules-b']);
    expect(h.list()).to.not.equal(first);
    expect(h.list()).to.have.members(['static-1', 'rules-a', 'rules-b']);
  });

  it('drops the oldest past its bound; a value added again counts as new', () => {
    const h = new SecretHistory(3);
    h.add(['keep', 'a', 'b']);
    h.add(['keep', 'c']);
    expect(h.list()).to.have.members(['keep', 'b', 'c']);
    h.add(['', 'keep', 'd']);
    expect(h.list()).to.have.members(['keep', 'c', 'd']);
  });
});
