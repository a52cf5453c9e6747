import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import { at, iso } from './store-fixtures.js';

/** Destination health records: merged observations and conditional transitions. */
export function healthContract(ctx: Ctx): void {
  describe('destination health records', () => {
    const err = (ms: number, error: string) => ({ at: iso(ms), error });

    it('a destination has none until observed; then ok, episode 0', async () => {
      expect(await ctx.store.destinationRecords(['a', 'b'])).to.deep.equal([]);
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: at(0), lastFailureAt: null, errors: [] }]);
      expect(await ctx.store.destinationRecords(['b', 'a'])).to.deep.equal([
        { destination: 'a', state: 'ok', episode: 0, announced: 'ok', failingSince: null, recoveredAt: null, lastSuccessAt: iso(0), lastFailureAt: null, lastErrors: [] },
      ]);
      await ctx.store.observeDestinations([]);
    });

    it('merges observations: the later success and failure win, the errors of the later failure', async () => {
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: at(5000), lastFailureAt: at(3000), errors: [err(3000, 'replica one')] }]);
      // Another replica's, older on both counts but for its failure: kept where later.
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: at(1000), lastFailureAt: at(2000), errors: [err(2000, 'stale')] }]);
      let [r] = await ctx.store.destinationRecords(['a']);
      expect(r).to.include({ lastSuccessAt: iso(5000), lastFailureAt: iso(3000) });
      expect(r!.lastErrors).to.deep.equal([err(3000, 'replica one')]);
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: null, lastFailureAt: at(9000), errors: [err(8000, 'x'), err(9000, 'y <b>\u0000')] }]);
      [r] = await ctx.store.destinationRecords(['a']);
      expect(r).to.include({ lastSuccessAt: iso(5000), lastFailureAt: iso(9000) });
      expect(r!.lastErrors.map((e) => e.at)).to.deep.equal([iso(8000), iso(9000)]);
      expect(r!.lastErrors[1]!.error).to.match(/^y <b>/);
    });

    it('moves ok -> failing -> ok only as the caller read it, and only once the last move was announced', async () => {
      const t = ctx.store.transitionDestination.bind(ctx.store);
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: null, lastFailureAt: at(1000), errors: [] }]);
      expect(await t({ kind: 'failing', destination: 'a', episode: 1, at: at(0) }), 'wrong episode').to.equal(false);
      expect(await t({ kind: 'recovered', destination: 'a', episode: 0, at: at(0) }), 'not failing').to.equal(false);
      expect(await t({ kind: 'failing', destination: 'nobody', episode: 0, at: at(0) }), 'no record').to.equal(false);
      expect(await t({ kind: 'failing', destination: 'a', episode: 0, at: at(0) })).to.equal(true);
      expect(await t({ kind: 'failing', destination: 'a', episode: 0, at: at(0) }), 'a second replica loses').to.equal(false);
      expect((await ctx.store.destinationRecords(['a']))[0]).to.include({ state: 'failing', episode: 1, announced: 'ok', failingSince: iso(0), recoveredAt: null });
      expect(await t({ kind: 'recovered', destination: 'a', episode: 1, at: at(7000) }), 'its failing is not announced yet').to.equal(false);
      expect(await t({ kind: 'announced', destination: 'a', episode: 1, state: 'ok' })).to.equal(false);
      expect(await t({ kind: 'announced', destination: 'a', episode: 1, state: 'failing' })).to.equal(true);
      expect(await t({ kind: 'announced', destination: 'a', episode: 1, state: 'failing' }), 'already').to.equal(false);
      expect(await t({ kind: 'recovered', destination: 'a', episode: 1, at: at(7000) })).to.equal(true);
      expect(await t({ kind: 'recovered', destination: 'a', episode: 1, at: at(7000) })).to.equal(false);
      expect((await ctx.store.destinationRecords(['a']))[0]).to.include({ state: 'ok', episode: 1, announced: 'failing', failingSince: iso(0), recoveredAt: iso(7000) });
      expect(await t({ kind: 'failing', destination: 'a', episode: 1, at: at(8000) }), 'its recovery is not announced yet').to.equal(false);
      expect(await t({ kind: 'announced', destination: 'a', episode: 1, state: 'ok' })).to.equal(true);
      expect(await t({ kind: 'failing', destination: 'a', episode: 1, at: at(8000) })).to.equal(true);
      expect((await ctx.store.destinationRecords(['a']))[0]).to.include({ state: 'failing', episode: 2, failingSince: iso(8000), recoveredAt: null });
    });

    it('of two transitions at once, exactly one applies', async () => {
      await ctx.store.observeDestinations([{ destination: 'a', lastSuccessAt: null, lastFailureAt: at(1000), errors: [] }]);
      const results = await Promise.all([0, 1, 2].map(() => ctx.store.transitionDestination({ kind: 'failing', destination: 'a', episode: 0, at: at(0) })));
      expect(results.filter(Boolean)).to.have.length(1);
    });
  });
}
