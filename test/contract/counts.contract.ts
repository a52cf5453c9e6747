import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, iso, makeEvent, planned } from './store-fixtures.js';

export function countsContract(ctx: Ctx): void {
  describe('stats and backlog (kept counters)', () => {
    const counts = (pending: number, delivering: number, delivered: number, dead: number) => ({ pending, delivering, delivered, dead });

    it('follow every transition: ingest, claim, finish, replay, purge', async () => {
      const early = makeEvent({ receivedAt: iso(0) });
      const late = makeEvent({ receivedAt: iso(5000) });
      const [a1, b1, a2] = [planned('a'), planned('b'), planned('a')];
      await ctx.store.ingest(early, [a1, b1], { dedupeSince: at(-DAY) });
      await ctx.store.ingest(late, [a2], { dedupeSince: at(-DAY) });
      expect(await ctx.store.stats()).to.deep.equal(counts(3, 0, 0, 0));
      expect(await ctx.store.backlog()).to.deep.equal([
        { destination: 'a', counts: counts(2, 0, 0, 0), oldestOpenAt: iso(0) },
        { destination: 'b', counts: counts(1, 0, 0, 0), oldestOpenAt: iso(0) },
      ]);

      const claimed = await ctx.store.claim({ now: at(0), limit: 10, leaseMs: 1000 });
      expect(claimed.map((c) => c.id).sort()).to.deep.equal([a1.id, b1.id].sort());
      expect(await ctx.store.stats()).to.deep.equal(counts(1, 2, 0, 0));

      await ctx.store.succeed(a1.id, attemptOf('success', { attempt: 1 }));
      await ctx.store.kill(b1.id, 'client: HTTP 410', attemptOf('permanent', { attempt: 1 }));
      expect(await ctx.store.backlog()).to.deep.equal([
        // a's oldest open delivery is now the later event's.
        { destination: 'a', counts: counts(1, 0, 1, 0), oldestOpenAt: iso(5000) },
        { destination: 'b', counts: counts(0, 0, 0, 1), oldestOpenAt: null },
      ]);

      expect(await ctx.store.replay({ status: 'dead', now: at(10_000) })).to.equal(1);
      expect(await ctx.store.stats()).to.deep.equal(counts(2, 0, 1, 0));
      const again = await ctx.store.claim({ now: at(10_000), limit: 10, leaseMs: 1000 });
      for (const c of again) await ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts }));
      expect(await ctx.store.stats()).to.deep.equal(counts(0, 0, 3, 0));

      expect(await ctx.store.purge({ before: at(DAY) })).to.equal(2);
      expect(await ctx.store.stats()).to.deep.equal(counts(0, 0, 0, 0));
      expect(await ctx.store.backlog()).to.deep.equal([]);
    });
  });
}
