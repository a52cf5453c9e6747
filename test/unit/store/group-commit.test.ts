import { expect } from 'chai';
import { GroupCommit } from '../../../src/store/sqlite/group-commit.js';

describe('GroupCommit', () => {
  it('runs what is submitted in one tick as one batch, answering each caller after it', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>((items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    });
    const first = await Promise.all([gc.submit(1), gc.submit(2), gc.submit(3)]);
    const second = await gc.submit(4);
    expect(first).to.deep.equal([10, 20, 30]);
    expect(second).to.equal(40);
    expect(batches).to.deep.equal([[1, 2, 3], [4]]);
  });

  it('answers nobody before the batch has run', async () => {
    const order: string[] = [];
    const gc = new GroupCommit<number, number>((items) => {
      order.push('batch');
      return items;
    });
    await Promise.all([gc.submit(1).then(() => order.push('answer 1')), gc.submit(2).then(() => order.push('answer 2'))]);
    expect(order).to.deep.equal(['batch', 'answer 1', 'answer 2']);
  });

  it('retries each item alone when the shared batch fails, so one bad item fails only itself', async () => {
    const batches: number[][] = [];
    const errors: number[] = [];
    const gc = new GroupCommit<number, number>(
      (items) => {
        batches.push(items);
        if (items.includes(2)) throw new Error('bad item 2');
        return items;
      },
      (_err, size) => errors.push(size),
    );
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2), gc.submit(3)]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).to.equal('bad item 2');
    expect(batches).to.deep.equal([[1, 2, 3], [1], [2], [3]]);
    expect(errors).to.deep.equal([3]);
  });

  it('flush() writes the queue at once, without waiting for the next tick', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>((items) => {
      batches.push(items);
      return items;
    });
    const p = gc.submit(7);
    gc.flush();
    expect(batches).to.deep.equal([[7]]);
    expect(await p).to.equal(7);
    gc.flush(); // nothing queued: harmless
    await new Promise((r) => setImmediate(r));
    expect(batches).to.deep.equal([[7]]);
  });
});
