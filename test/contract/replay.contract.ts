import { expect } from 'chai';
import type { ClaimedDelivery, PlannedDelivery } from '../../src/domain/delivery.js';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, makeEvent, planned } from './store-fixtures.js';

export function replayContract(ctx: Ctx): void {
  describe('replay at scale, mixed', () => {
    const KEYS = ['thread-1', 'thread-2', 'thread-3'];
    /** Claims at `ms` until nothing is due, finishing each as `fate` says; returns what was claimed, in claim order. */
    const drain = async (ms: number, fate: (c: ClaimedDelivery) => 'succeed' | 'kill' | 'leave'): Promise<ClaimedDelivery[]> => {
      const all: ClaimedDelivery[] = [];
      for (;;) {
        const batch = await ctx.store.claim({ now: at(ms), limit: 300, leaseMs: 2 * DAY });
        if (batch.length === 0) return all;
        // One per order key in flight: a claim never holds two of one key.
        const keys = batch.filter((c) => c.orderKey !== null).map((c) => c.orderKey);
        expect(new Set(keys).size, 'two of one key claimed together').to.equal(keys.length);
        // Results recorded together, as a worker's are.
        await Promise.all(
          batch.map((c) => {
            const f = fate(c);
            if (f === 'succeed') return ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts, claim: c.claim }));
            if (f === 'kill') return ctx.store.kill(c.id, 'channel_not_found', attemptOf('permanent', { attempt: c.attempts, claim: c.claim }));
            return undefined;
          }),
        );
        all.push(...batch);
        if (batch.every((c) => fate(c) === 'leave')) return all;
      }
    };

    it('replays over 500 dead, delivered and pending deliveries of a few threads: each sent once more, in order, and the counters add up', async () => {
      // 720 deliveries: three threads and unordered ones, in creation order.
      const ds: PlannedDelivery[] = [];
      for (let i = 0; i < 720; i++) ds.push(planned(i % 4 === 3 ? 'http' : 'slack', { orderKey: i % 4 === 3 ? null : KEYS[i % 4]! }));
      for (let i = 0; i < ds.length; i += 4) await ctx.store.ingest(makeEvent(), ds.slice(i, i + 4), { dedupeSince: at(-DAY) });
      const index = new Map(ds.map((d, i) => [d.id, i]));

      // Every third dies, the others are delivered; the last of thread-2 is left waiting for a
      // retry hours away, and thread-3's last is in flight while the replay runs.
      const lastOf = (key: string): string => ds.filter((d) => d.orderKey === key).at(-1)!.id;
      let inFlight: ClaimedDelivery | undefined;
      await drain(0, (c) => {
        if (c.id === lastOf('thread-3')) return ((inFlight = c), 'leave');
        if (c.id === lastOf('thread-2')) return 'leave';
        return index.get(c.id)! % 3 === 0 ? 'kill' : 'succeed';
      });
      const retrying = lastOf('thread-2');
      // thread-2's last was claimed by drain and left; give it its retry.
      await ctx.store.retryLater(retrying, at(6 * 3600_000), attemptOf('retry', { attempt: 1 }));
      expect(inFlight?.id).to.equal(lastOf('thread-3'));
      expect(await ctx.store.stats()).to.deep.equal({ pending: 1, delivering: 1, delivered: 479, dead: 239 });

      // Everything not in flight: 719 deliveries, more than one batch.
      expect(await ctx.store.replay({ now: at(DAY) })).to.equal(719);
      expect(await ctx.store.stats()).to.deep.equal({ pending: 719, delivering: 1, delivered: 0, dead: 0 });

      // thread-3's head is in flight: nothing else of it goes until it is done.
      const sent = await drain(DAY, (c) => (c.orderKey === 'thread-3' ? 'leave' : 'succeed'));
      expect(sent.filter((c) => c.orderKey === 'thread-3')).to.deep.equal([]);
      await ctx.store.succeed(inFlight!.id, attemptOf('success', { attempt: inFlight!.attempts, claim: inFlight!.claim }));
      sent.push(...(await drain(DAY, () => 'succeed')));

      // Each replayed delivery went once more; each thread in creation order.
      expect(sent.map((c) => c.id).sort()).to.deep.equal(ds.filter((d) => d.id !== inFlight!.id).map((d) => d.id).sort());
      for (const key of KEYS) {
        const order = ds.filter((d) => d.orderKey === key && d.id !== inFlight!.id).map((d) => d.id);
        expect(sent.filter((c) => c.orderKey === key).map((c) => c.id), key).to.deep.equal(order);
      }
      expect(await ctx.store.stats()).to.deep.equal({ pending: 0, delivering: 0, delivered: 720, dead: 0 });
      expect((await ctx.store.backlog()).map((b) => [b.destination, b.oldestOpenAt])).to.deep.equal([
        ['http', null],
        ['slack', null],
      ]);
      // Nothing is left with a due time: every key ended with no head.
      expect(await ctx.store.nextDueAt()).to.equal(null);
    });
  });
}
