import { expect } from 'chai';
import { ReadBuffers } from '../../../../src/delivery/mirror/read-buffers.js';

/** The mirror's read buffers go round: handed out to one holder at a time, back once given. */
describe('read buffers', () => {
  it('a buffer given back (by any view of it) is the next one handed out', () => {
    const pool = new ReadBuffers(1024, 4);
    const a = pool.take();
    pool.give(a.subarray(10, 20));
    expect(pool.kept).to.equal(1);
    expect(pool.take().buffer).to.equal(a.buffer);
    expect(pool.kept).to.equal(0);
  });

  it('never hands out one buffer twice: a second give, or a give of what was never taken, is ignored', () => {
    const pool = new ReadBuffers(1024, 4);
    const a = pool.take();
    pool.give(a);
    pool.give(a);
    expect(pool.kept).to.equal(1);
    const again = pool.take();
    expect(pool.take().buffer).to.not.equal(again.buffer);
    pool.give(Buffer.alloc(1024));
    pool.give(Buffer.from('not the pool\'s'));
    expect(pool.kept).to.equal(0);
  });

  it('keeps at most its number; the rest are left to the collector', () => {
    const pool = new ReadBuffers(1024, 2);
    const taken = [pool.take(), pool.take(), pool.take()];
    for (const b of taken) pool.give(b);
    expect(pool.kept).to.equal(2);
  });
});
