import { expect } from 'chai';
import { runAgainIfRolledBack } from '../../../src/store/postgres/run-again.js';
import { rejectionOf } from '../../contract/store-fixtures.js';

const failing = (codes: string[]) => {
  let calls = 0;
  const fn = async (): Promise<string> => {
    const code = codes[calls++];
    if (code) throw Object.assign(new Error(code), { code });
    return 'done';
  };
  return { fn, calls: () => calls };
};

describe('PostgreSQL: run again what a deadlock or a serialization failure rolled back', () => {
  it('runs again after 40P01 and 40001, at most three tries in all', async () => {
    const twice = failing(['40P01', '40001']);
    expect(await runAgainIfRolledBack(twice.fn)).to.equal('done');
    expect(twice.calls()).to.equal(3);
    const always = failing(['40P01', '40P01', '40P01', '40P01']);
    expect(((await rejectionOf(runAgainIfRolledBack(always.fn))) as { code: string }).code).to.equal('40P01');
    expect(always.calls()).to.equal(3);
  });

  it('does not run again after any other error', async () => {
    const other = failing(['23505']);
    expect(((await rejectionOf(runAgainIfRolledBack(other.fn))) as { code: string }).code).to.equal('23505');
    expect(other.calls()).to.equal(1);
  });
});
