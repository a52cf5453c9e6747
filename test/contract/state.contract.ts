import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import { at, DAY } from './store-fixtures.js';

/** Retention of destination state: a row counts from its last write or use, not its creation. */
export function stateContract(ctx: Ctx): void {
  describe('purgeState', () => {
    /** Writes as the store's clock reads `ms` on the fixture timeline. */
    const atTime = async <T>(ms: number, write: () => Promise<T>): Promise<T> => {
      ctx.clock.set(at(ms));
      return write();
    };

    it('deletes the rows last written before the cut and keeps the others, counting them', async () => {
      await atTime(0, () => ctx.store.setState('slack:old', 'a'));
      await atTime(0, () => ctx.store.putStateIfAbsent('email:old', '<root-a@relay>'));
      await atTime(DAY - 1, () => ctx.store.setState('slack:just-before', 'b'));
      await atTime(DAY, () => ctx.store.setState('slack:at-cut', 'c'));
      await atTime(2 * DAY, () => ctx.store.putStateIfAbsent('email:new', '<root-b@relay>'));

      expect(await ctx.store.purgeState(at(DAY))).to.equal(3);

      expect(await ctx.store.getState('slack:old')).to.equal(null);
      expect(await ctx.store.getState('email:old')).to.equal(null);
      expect(await ctx.store.getState('slack:just-before')).to.equal(null);
      expect(await ctx.store.getState('slack:at-cut')).to.equal('c');
      expect(await ctx.store.getState('email:new')).to.equal('<root-b@relay>');
      expect(await ctx.store.purgeState(at(DAY))).to.equal(0);
    });

    it('counts a row from its last setState, not from its creation', async () => {
      await atTime(0, () => ctx.store.setState('slack:active', 'v1'));
      await atTime(2 * DAY, () => ctx.store.setState('slack:active', 'v2'));
      await atTime(0, () => ctx.store.setState('slack:idle', 'v1'));

      expect(await ctx.store.purgeState(at(DAY))).to.equal(1);
      expect(await ctx.store.getState('slack:active')).to.equal('v2');
      expect(await ctx.store.getState('slack:idle')).to.equal(null);
    });

    it('counts a row from the last putStateIfAbsent that found it, keeping its value', async () => {
      await atTime(0, () => ctx.store.putStateIfAbsent('email:active', '<root@relay>'));
      expect(await atTime(2 * DAY, () => ctx.store.putStateIfAbsent('email:active', '<other@relay>'))).to.equal('<root@relay>');

      expect(await ctx.store.purgeState(at(DAY))).to.equal(0);
      expect(await ctx.store.getState('email:active')).to.equal('<root@relay>');
    });

    it('never moves a row back in time when a late clock uses it', async () => {
      await atTime(2 * DAY, () => ctx.store.putStateIfAbsent('email:k', '<root@relay>'));
      await atTime(0, () => ctx.store.putStateIfAbsent('email:k', '<other@relay>'));

      expect(await ctx.store.purgeState(at(DAY))).to.equal(0);
      expect(await ctx.store.getState('email:k')).to.equal('<root@relay>');
    });

    it('lets a purged key be set afresh', async () => {
      await atTime(0, () => ctx.store.putStateIfAbsent('slack:k', 'first'));
      expect(await ctx.store.purgeState(at(DAY))).to.equal(1);
      expect(await atTime(2 * DAY, () => ctx.store.putStateIfAbsent('slack:k', 'second'))).to.equal('second');
    });
  });
}
