import { expect } from 'chai';
import { StoreUnavailableError } from '../../../src/errors.js';
import { inTransaction } from '../../../src/store/postgres/db.js';
import { openPool } from '../../../src/store/postgres/open-pool.js';
import { storeError } from '../../../src/store/postgres/store-error.js';
import { PG_TEST_URL } from '../../support/pg-schema.js';
import { rejectionOf } from '../../contract/store-fixtures.js';

describe('PostgreSQL pool: a connection the server ends', () => {
  it('while it is being handed to a waiting caller, does not crash the process: that caller gets a 503, the next one a new connection', async () => {
    const pool = openPool(PG_TEST_URL, { max: 1 });
    try {
      const a = await pool.connect();
      const waiting = rejectionOf(inTransaction(pool, (db) => db.query('SELECT 1')));
      // The last answer of `a` and the server's FATAL for its terminated backend come in one
      // packet: releasing it hands it at once to the waiting caller, whose own listener comes a
      // microtask later, and the FATAL is parsed in between. This is what the parser emits then.
      a.release();
      const fatal = Object.assign(new Error('terminating connection due to administrator command'), { severity: 'FATAL', code: '57P01' });
      expect(() => (a as unknown as { connection: NodeJS.EventEmitter }).connection.emit('errorMessage', fatal)).to.not.throw();
      const err = await waiting;
      expect(storeError(err)).to.be.instanceOf(StoreUnavailableError);
      expect((await inTransaction(pool, (db) => db.query<{ one: number }>('SELECT 1 AS one'))).rows).to.deep.equal([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
