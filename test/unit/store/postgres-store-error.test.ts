import { expect } from 'chai';
import { StoreUnavailableError } from '../../../src/errors.js';
import { storeError } from '../../../src/store/postgres/store-error.js';

const coded = (code: string, message = 'failed'): Error => Object.assign(new Error(message), { code });

describe('PostgreSQL errors -> StoreUnavailableError', () => {
  const unavailable: [string, unknown][] = [
    ['connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['refused on every address', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')])],
    ['connection reset', coded('ECONNRESET')],
    ['admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
    ['server starting up', coded('57P03', 'the database system is starting up')],
    ['connection failure', coded('08006')],
    ['too many connections', coded('53300')],
    ['read-only after a failover', coded('25006')],
    ['deadlock', coded('40P01')],
    ['connection lost', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool')],
  ];
  for (const [what, err] of unavailable) {
    it(`maps ${what}`, () => {
      const mapped = storeError(err);
      expect(mapped).to.be.instanceOf(StoreUnavailableError);
      expect(mapped).to.have.property('httpStatus', 503);
    });
  }

  const kept: [string, unknown][] = [
    ['a unique violation', coded('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', coded('42601')],
    ['a plain bug', new TypeError('x is not a function')],
    ['a non-error', 'boom'],
  ];
  for (const [what, err] of kept) {
    it(`keeps ${what}`, () => expect(storeError(err)).to.equal(err));
  }

  it('names the code in the message', () => {
    expect((storeError(coded('57P01', 'terminating connection')) as Error).message).to.match(/57P01: terminating connection/);
  });
});
