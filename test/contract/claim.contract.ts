import { expect } from 'chai';
import type { PlannedDelivery } from '../../src/domain/delivery.js';
import type { RelayEvent } from '../../src/domain/event.js';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, iso, makeEvent, NON_UTF8, planned } from './store-fixtures.js';

export function claimContract(ctx: Ctx): void {
  const add = async (deliveries: PlannedDelivery[], over: Partial<RelayEvent> = {}): Promise<RelayEvent> => {
    const e = makeEvent(over);
    await ctx.store.ingest(e, deliveries, { dedupeSince: at(-DAY) });
    return e;
  };
  const claimAt = (ms: number, limit = 10, skipDestinations?: string[]) => ctx.store.claim({ now: at(ms), limit, leaseMs: 1000, skipDestinations });

  describe('claim', () => {
    it('marks what it takes delivering, with a lease and one more attempt, and returns the whole event', async () => {
      const d = planned('a', { orderKey: 'k' });
      const e = await add([d], { raw: NON_UTF8 });
      const [c, ...rest] = await claimAt(5);
      expect(rest).to.deep.equal([]);
      expect(c).to.include({ id: d.id, eventId: e.id, destination: 'a', route: 'route-1', orderKey: 'k', status: 'delivering', attempts: 1, leaseUntil: iso(1005) });
      expect(c!.event).to.deep.equal(e);
      expect(Buffer.compare(c!.event.raw, NON_UTF8)).to.equal(0);
      expect((await ctx.store.listDeliveries(e.id))[0]).to.include({ status: 'delivering', attempts: 1, leaseUntil: iso(1005) });
    });

    it('takes at most `limit`, in arrival order, and never the same one twice', async () => {
      const ds = Array.from({ length: 5 }, () => planned('a'));
      for (const d of ds) await add([d]);
      const first = await claimAt(0, 3);
      const second = await claimAt(0, 3);
      expect(first.map((c) => c.id)).to.deep.equal(ds.slice(0, 3).map((d) => d.id));
      expect(second.map((c) => c.id)).to.deep.equal(ds.slice(3).map((d) => d.id));
      expect(await claimAt(0, 3)).to.deep.equal([]);
      expect(await claimAt(0, 0)).to.deep.equal([]);
    });

    it('waits for next_attempt_at', async () => {
      await add([planned('a')], { receivedAt: iso(10_000) });
      expect(await claimAt(9_999)).to.deep.equal([]);
      expect(await claimAt(10_000)).to.have.length(1);
    });

    it('takes over a delivery whose lease ran out, and the old worker can no longer finish it', async () => {
      const d = planned('a');
      const e = await add([d]);
      const [old] = await claimAt(0);
      expect(await claimAt(999)).to.deep.equal([]);
      expect(await claimAt(1000)).to.deep.equal([]);
      const [taken] = await claimAt(1001);
      expect(taken).to.include({ id: d.id, attempts: 2, leaseUntil: iso(2001) });

      await ctx.store.succeed(d.id, attemptOf('success', { attempt: old!.attempts }));
      await ctx.store.retryLater(d.id, at(50_000), attemptOf('retry', { attempt: old!.attempts }));
      await ctx.store.kill(d.id, 'late', attemptOf('permanent', { attempt: old!.attempts }));
      expect((await ctx.store.listDeliveries(e.id))[0]).to.include({ status: 'delivering', attempts: 2, leaseUntil: iso(2001), lastError: null });
      expect(await ctx.store.listAttempts(d.id)).to.deep.equal([]);

      await ctx.store.succeed(d.id, attemptOf('success', { attempt: taken!.attempts }));
      expect((await ctx.store.listDeliveries(e.id))[0]!.status).to.equal('delivered');
      expect((await ctx.store.listAttempts(d.id)).map((a) => a.attempt)).to.deep.equal([2]);
    });

    it('keeps a lease that was extended', async () => {
      const d = planned('a');
      await add([d]);
      await claimAt(0);
      await ctx.store.extendLease(d.id, at(5000));
      expect(await claimAt(2000)).to.deep.equal([]);
      expect((await claimAt(5001)).map((c) => c.id)).to.deep.equal([d.id]);
    });

    it('sends deliveries of one order key one at a time, in order, whatever happens to the first', async () => {
      const first = planned('slack', { orderKey: 'thread-1' });
      const second = planned('slack', { orderKey: 'thread-1' });
      const other = planned('slack', { orderKey: 'thread-2' });
      await add([first]);
      await add([second]);
      await add([other]);

      // One per key per call: the second waits behind the first.
      expect((await claimAt(0)).map((c) => c.id)).to.deep.equal([first.id, other.id]);
      expect(await claimAt(0)).to.deep.equal([]);
      await ctx.store.succeed(other.id, attemptOf('success', { attempt: 1 }));

      // A retry of the first still holds the second back, even while the first is not due.
      await ctx.store.retryLater(first.id, at(30_000), attemptOf('retry', { attempt: 1 }));
      expect(await claimAt(10_000)).to.deep.equal([]);
      expect((await claimAt(30_000)).map((c) => c.id)).to.deep.equal([first.id]);

      // A lease that ran out is taken over by the first itself, not skipped by the second.
      expect((await claimAt(31_001)).map((c) => c.id)).to.deep.equal([first.id]);

      await ctx.store.succeed(first.id, attemptOf('success', { attempt: 3 }));
      expect((await claimAt(31_002)).map((c) => c.id)).to.deep.equal([second.id]);
    });

    it('lets the next of an order key go once the first is dead', async () => {
      const first = planned('slack', { orderKey: 'k' });
      const second = planned('slack', { orderKey: 'k' });
      await add([first, second]);
      expect((await claimAt(0)).map((c) => c.id)).to.deep.equal([first.id]);
      await ctx.store.kill(first.id, 'channel_not_found', attemptOf('permanent', { attempt: 1 }));
      expect((await claimAt(0)).map((c) => c.id)).to.deep.equal([second.id]);
    });

    it('sends a replayed delivery of an order key before the later ones still open: one at a time, in order', async () => {
      const [d1, d2, d3] = [1, 2, 3].map(() => planned('slack', { orderKey: 'thread-1' }));
      for (const d of [d1!, d2!, d3!]) await add([d]);
      const [c1] = await claimAt(0);
      await ctx.store.kill(d1!.id, 'channel_not_found', attemptOf('permanent', { attempt: 1, claim: c1!.claim }));
      const [c2] = await claimAt(0);
      expect(c2!.id).to.equal(d2!.id);
      // The second waits for its retry, hours away, when the first is replayed.
      await ctx.store.retryLater(d2!.id, at(3 * 3600_000), attemptOf('retry', { attempt: 1, claim: c2!.claim }));
      expect(await ctx.store.replay({ status: 'dead', now: at(10_000) })).to.equal(1);

      // The first goes now, and alone; the second keeps its retry time; the third comes last.
      expect((await claimAt(10_000)).map((c) => c.id)).to.deep.equal([d1!.id]);
      await ctx.store.succeed(d1!.id, attemptOf('success', { attempt: 1 }));
      expect(await claimAt(10_001)).to.deep.equal([]);
      expect((await claimAt(3 * 3600_000)).map((c) => c.id)).to.deep.equal([d2!.id]);
      await ctx.store.succeed(d2!.id, attemptOf('success', { attempt: 2 }));
      expect((await claimAt(3 * 3600_000)).map((c) => c.id)).to.deep.equal([d3!.id]);
    });

    it('keeps a head that is in flight when an earlier delivery of its key is replayed, and sends the replayed one next', async () => {
      const [d1, d2, d3] = [1, 2, 3].map(() => planned('slack', { orderKey: 'thread-1' }));
      for (const d of [d1!, d2!, d3!]) await add([d]);
      const [c1] = await claimAt(0);
      await ctx.store.kill(d1!.id, 'channel_not_found', attemptOf('permanent', { attempt: 1, claim: c1!.claim }));
      const [c2] = await claimAt(0, 10);
      expect(await ctx.store.replay({ status: 'dead', now: at(10) })).to.equal(1);
      // d2 is being sent: nothing else of the key goes meanwhile.
      expect(await claimAt(20)).to.deep.equal([]);
      await ctx.store.succeed(d2!.id, attemptOf('success', { attempt: 1, claim: c2!.claim }));
      expect((await claimAt(30)).map((c) => c.id)).to.deep.equal([d1!.id]);
      await ctx.store.succeed(d1!.id, attemptOf('success', { attempt: 1 }));
      expect((await claimAt(40)).map((c) => c.id)).to.deep.equal([d3!.id]);
    });

    it('skips destinations at their cap', async () => {
      const a = planned('a');
      const b = planned('b');
      await add([a, b]);
      expect((await claimAt(0, 10, ['a', 'c'])).map((c) => c.id)).to.deep.equal([b.id]);
      expect((await claimAt(0, 10, [])).map((c) => c.id)).to.deep.equal([a.id]);
    });

    it("takes no more of a destination than its free slots, and fills the limit with others", async () => {
      const as = Array.from({ length: 4 }, () => planned('a'));
      const bs = Array.from({ length: 3 }, () => planned('b'));
      for (const d of [...as, ...bs]) await add([d]);
      const got = await ctx.store.claim({ now: at(0), limit: 4, leaseMs: 1000, destinationSlots: { a: 1, b: 5 } });
      expect(got.map((c) => c.id)).to.deep.equal([as[0]!.id, ...bs.map((d) => d.id)]);
      const none = await ctx.store.claim({ now: at(0), limit: 4, leaseMs: 1000, destinationSlots: { a: 0 } });
      expect(none).to.deep.equal([]);
    });

    it('takes at most `otherSlots` of each destination that destinationSlots does not name', async () => {
      const as = Array.from({ length: 3 }, () => planned('a'));
      const gone = Array.from({ length: 3 }, () => planned('gone'));
      const other = Array.from({ length: 3 }, () => planned('other'));
      for (const d of [...gone, ...other, ...as]) await add([d]);
      const got = await ctx.store.claim({ now: at(0), limit: 10, leaseMs: 1000, destinationSlots: { a: 3 }, otherSlots: 1 });
      expect(got.map((c) => c.id)).to.deep.equal([gone[0]!.id, other[0]!.id, ...as.map((d) => d.id)]);
    });

    it('tells when the next delivery is due', async () => {
      expect(await ctx.store.nextDueAt()).to.equal(null);
      const d = planned('a');
      await add([d], { receivedAt: iso(7000) });
      expect((await ctx.store.nextDueAt())?.toISOString()).to.equal(iso(7000));
      await claimAt(7000);
      expect((await ctx.store.nextDueAt())?.toISOString()).to.equal(iso(8000));
      await ctx.store.retryLater(d.id, at(60_000), attemptOf('retry', { attempt: 1 }));
      expect((await ctx.store.nextDueAt())?.toISOString()).to.equal(iso(60_000));
      await claimAt(60_000);
      await ctx.store.succeed(d.id, attemptOf('success', { attempt: 2 }));
      expect(await ctx.store.nextDueAt()).to.equal(null);
    });

    it('tells the next due time strictly after a moment, past due work that is blocked', async () => {
      const first = planned('slack', { orderKey: 'k' });
      const blocked = planned('slack', { orderKey: 'k' });
      await add([first, blocked], { receivedAt: iso(0) });
      const later = planned('b');
      await add([later], { receivedAt: iso(5000) });
      await claimAt(0, 10); // takes `first` (lease to 1000); `blocked` waits behind it
      // What waits behind its order key is not due before its head finishes or its lease ends.
      expect((await ctx.store.nextDueAt())?.toISOString()).to.equal(iso(1000));
      expect((await ctx.store.nextDueAt(at(100)))?.toISOString()).to.equal(iso(1000));
      expect((await ctx.store.nextDueAt(at(1000)))?.toISOString()).to.equal(iso(5000));
      expect(await ctx.store.nextDueAt(at(5000))).to.equal(null);
    });
  });
}
