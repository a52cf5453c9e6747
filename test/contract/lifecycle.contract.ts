import { expect } from 'chai';
import { StoreUnavailableError } from '../../src/errors.js';
import type { Ctx } from './store.contract.js';
import { at, iso, NON_UTF8, rejectionOf } from './store-fixtures.js';

export function lifecycleContract(ctx: Ctx): void {
  describe('state', () => {
    it('gets, sets and puts if absent', async () => {
      expect(await ctx.store.getState('slack:thread:1')).to.equal(null);
      expect(await ctx.store.putStateIfAbsent('slack:thread:1', '111.1')).to.equal('111.1');
      expect(await ctx.store.putStateIfAbsent('slack:thread:1', '222.2')).to.equal('111.1');
      await ctx.store.setState('slack:thread:1', '333.3');
      expect(await ctx.store.getState('slack:thread:1')).to.equal('333.3');
      await ctx.store.setState('other', 'x');
      expect(await ctx.store.getState('other')).to.equal('x');
    });

    it('gives two concurrent putIfAbsent callers the same value', async () => {
      const [a, b] = await Promise.all([ctx.store.putStateIfAbsent('k', 'first'), ctx.store.putStateIfAbsent('k', 'second')]);
      expect(a).to.equal(b);
      expect(['first', 'second']).to.include(a);
      expect(await ctx.store.getState('k')).to.equal(a);
    });
  });

  describe('rejected', () => {
    it('keeps the newest `keep` bodies, bytes intact', async () => {
      for (let i = 0; i < 5; i++) {
        await ctx.store.recordRejected(
          { receivedAt: iso(i * 1000), code: 'invalid_json', reason: `bad ${i}`, raw: i === 4 ? NON_UTF8 : Buffer.from(`{${i}`), contentType: 'application/json', remoteAddr: i === 4 ? '10.0.0.4' : null },
          3,
        );
      }
      const kept = await ctx.store.listRejected(10);
      expect(kept.map((r) => r.reason)).to.deep.equal(['bad 4', 'bad 3', 'bad 2']);
      expect(kept[0]).to.include({ receivedAt: iso(4000), code: 'invalid_json', contentType: 'application/json', remoteAddr: '10.0.0.4' });
      expect(typeof kept[0]!.id).to.equal('number');
      expect(Buffer.compare(kept[0]!.raw, NON_UTF8)).to.equal(0);
      expect(kept[1]!.remoteAddr).to.equal(null);
      expect(await ctx.store.listRejected(1)).to.have.length(1);
    });
  });

  describe('lifecycle', () => {
    it('migrates again without harm, and says that nothing was pending', async () => {
      expect(await ctx.store.migrate()).to.deep.equal([]);
      await ctx.store.ping();
    });

    it('answers every call after close with StoreUnavailableError', async () => {
      await ctx.store.ping();
      expect(ctx.store.engine).to.be.oneOf(['sqlite', 'postgres']);
      await ctx.store.close();
      await ctx.store.close();
      for (const call of [
        () => ctx.store.ping(),
        () => ctx.store.claim({ now: at(0), limit: 1, leaseMs: 1000 }),
        () => ctx.store.getEvent('x'),
        () => ctx.store.stats(),
        () => ctx.store.setState('k', 'v'),
      ]) {
        expect(await rejectionOf(call())).to.be.instanceOf(StoreUnavailableError);
      }
    });
  });
}
