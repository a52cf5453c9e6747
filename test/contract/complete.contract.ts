import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, iso, makeEvent, planned } from './store-fixtures.js';

export function completeContract(ctx: Ctx): void {
  describe('succeed / retryLater / kill', () => {
    /** One ingested, claimed delivery. */
    const claimedOne = async () => {
      const e = makeEvent();
      const d = planned('a');
      await ctx.store.ingest(e, [d], { dedupeSince: at(-DAY) });
      const [c] = await ctx.store.claim({ now: at(0), limit: 1, leaseMs: 60_000 });
      expect(c?.id).to.equal(d.id);
      return { e, d, c: c! };
    };
    const deliveryOf = async (eventId: string) => (await ctx.store.listDeliveries(eventId))[0]!;

    it('succeed: delivered, lease cleared, the attempt kept', async () => {
      const { e, d, c } = await claimedOne();
      await ctx.store.succeed(d.id, attemptOf('success', { attempt: c.attempts, startedAt: iso(100), durationMs: 42, statusCode: 204 }));
      expect(await deliveryOf(e.id)).to.include({ status: 'delivered', attempts: 1, leaseUntil: null, lastError: null });
      expect(await ctx.store.listAttempts(d.id)).to.deep.equal([{ attempt: 1, startedAt: iso(100), durationMs: 42, outcome: 'success', statusCode: 204, error: null }]);
      expect(await ctx.store.stats()).to.deep.equal({ pending: 0, delivering: 0, delivered: 1, dead: 0 });
    });

    it('retryLater: pending at the given time, with the error, and the attempt kept', async () => {
      const { e, d, c } = await claimedOne();
      await ctx.store.retryLater(d.id, at(30_000), attemptOf('retry', { attempt: c.attempts, statusCode: 503, error: 'http_503: upstream down' }));
      expect(await deliveryOf(e.id)).to.include({ status: 'pending', attempts: 1, nextAttemptAt: iso(30_000), leaseUntil: null, lastError: 'http_503: upstream down' });
      expect(await ctx.store.listAttempts(d.id)).to.deep.equal([{ attempt: 1, startedAt: iso(0), durationMs: 12, outcome: 'retry', statusCode: 503, error: 'http_503: upstream down' }]);
      expect(await ctx.store.stats()).to.deep.equal({ pending: 1, delivering: 0, delivered: 0, dead: 0 });
    });

    it('kill: dead with the reason, and the attempt kept', async () => {
      const { e, d, c } = await claimedOne();
      await ctx.store.kill(d.id, 'slack_channel_not_found', attemptOf('permanent', { attempt: c.attempts, statusCode: null, error: 'channel_not_found' }));
      expect(await deliveryOf(e.id)).to.include({ status: 'dead', leaseUntil: null, lastError: 'slack_channel_not_found' });
      expect((await ctx.store.listAttempts(d.id)).map((a) => [a.outcome, a.statusCode, a.error])).to.deep.equal([['permanent', null, 'channel_not_found']]);
      expect(await ctx.store.claim({ now: at(DAY), limit: 10, leaseMs: 1000 })).to.deep.equal([]);
    });

    it('defer: pending at the given time, the attempt not counted and not recorded', async () => {
      const { e, d, c } = await claimedOne();
      await ctx.store.defer(d.id, at(4000), c.claim);
      expect(await deliveryOf(e.id)).to.include({ status: 'pending', attempts: 0, nextAttemptAt: iso(4000), leaseUntil: null, lastError: null });
      expect(await ctx.store.listAttempts(d.id)).to.deep.equal([]);
      expect(await ctx.store.claim({ now: at(3999), limit: 1, leaseMs: 1000 })).to.deep.equal([]);
      const [again] = await ctx.store.claim({ now: at(4000), limit: 1, leaseMs: 1000 });
      expect(again?.attempts).to.equal(1);
      // A claim that was lost (taken over after its lease) cannot be deferred by its old holder.
      await ctx.store.defer(d.id, at(9000), c.claim);
      expect(again!.claim).to.be.greaterThan(c.claim);
      expect(await deliveryOf(e.id)).to.include({ status: 'delivering', attempts: 1 });
    });

    it("a lost claim cannot finish, defer or renew a later claim, even after a replay reset the attempts", async () => {
      const { e, d, c: first } = await claimedOne();
      // The first worker's lease runs out; a second takes it over and gives up on it.
      const [second] = await ctx.store.claim({ now: at(60_001), limit: 1, leaseMs: 1000 });
      await ctx.store.kill(d.id, 'client: HTTP 410', attemptOf('permanent', { attempt: second!.attempts, claim: second!.claim }));
      // An admin replays it; a third claim gets attempt 1 again, as the first had.
      await ctx.store.replay({ eventId: e.id, now: at(70_000) });
      const [third] = await ctx.store.claim({ now: at(70_000), limit: 1, leaseMs: 60_000 });
      expect(third!.attempts).to.equal(first.attempts);
      // The first worker, late: none of it may touch the third claim.
      expect(await ctx.store.extendLease(d.id, at(999_999), first.claim)).to.equal(false);
      await ctx.store.defer(d.id, at(0), first.claim);
      await ctx.store.succeed(d.id, attemptOf('success', { attempt: first.attempts, claim: first.claim }));
      expect(await deliveryOf(e.id)).to.include({ status: 'delivering', attempts: 1, leaseUntil: iso(130_000) });
      // The current claim still can.
      expect(await ctx.store.extendLease(d.id, at(200_000), third!.claim)).to.equal(true);
      await ctx.store.succeed(d.id, attemptOf('success', { attempt: third!.attempts, claim: third!.claim }));
      expect(await deliveryOf(e.id)).to.include({ status: 'delivered' });
    });

    it('numbers attempts across retries', async () => {
      const { d } = await claimedOne();
      await ctx.store.retryLater(d.id, at(1000), attemptOf('retry', { attempt: 1 }));
      const [again] = await ctx.store.claim({ now: at(1000), limit: 1, leaseMs: 1000 });
      expect(again?.attempts).to.equal(2);
      await ctx.store.succeed(d.id, attemptOf('success', { attempt: 2, startedAt: iso(1000) }));
      expect((await ctx.store.listAttempts(d.id)).map((a) => [a.attempt, a.outcome])).to.deep.equal([
        [1, 'retry'],
        [2, 'success'],
      ]);
    });

    it('changes nothing for a delivery that is not being delivered', async () => {
      const e = makeEvent();
      const d = planned('a');
      await ctx.store.ingest(e, [d], { dedupeSince: at(-DAY) });
      await ctx.store.succeed(d.id, attemptOf('success'));
      await ctx.store.kill(d.id, 'x', attemptOf('permanent'));
      await ctx.store.succeed('no-such-delivery', attemptOf('success'));
      expect(await deliveryOf(e.id)).to.include({ status: 'pending', attempts: 0, lastError: null });
      expect(await ctx.store.listAttempts(d.id)).to.deep.equal([]);
    });

    it('without an attempt number, finishes whatever claim is current', async () => {
      const { e, d } = await claimedOne();
      await ctx.store.succeed(d.id, { startedAt: iso(0), durationMs: 1, outcome: 'success' });
      expect((await deliveryOf(e.id)).status).to.equal('delivered');
      await ctx.store.kill(d.id, 'too late', { startedAt: iso(0), durationMs: 1, outcome: 'permanent' });
      expect((await deliveryOf(e.id)).status).to.equal('delivered');
    });
  });
}
