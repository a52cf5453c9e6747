import { expect } from 'chai';
import type { PlannedDelivery } from '../../src/domain/delivery.js';
import type { RelayEvent } from '../../src/domain/event.js';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, iso, makeEvent, planned } from './store-fixtures.js';

export function adminContract(ctx: Ctx): void {
  const add = async (deliveries: PlannedDelivery[], over: Partial<RelayEvent> = {}): Promise<RelayEvent> => {
    const e = makeEvent(over);
    await ctx.store.ingest(e, deliveries, { dedupeSince: at(-DAY) });
    return e;
  };
  /** Claims everything due at `ms` and finishes each delivery as `fate(destination)` says. */
  const settle = async (ms: number, fate: (destination: string) => 'succeed' | 'kill' | 'leave') => {
    for (const c of await ctx.store.claim({ now: at(ms), limit: 100, leaseMs: 1000 })) {
      const f = fate(c.destination);
      if (f === 'succeed') await ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts }));
      if (f === 'kill') await ctx.store.kill(c.id, `gave up on ${c.destination}`, attemptOf('permanent', { attempt: c.attempts }));
    }
  };

  describe('listEvents', () => {
    it('lists newest first with their deliveries, filtered by type, status and since', async () => {
      const old = await add([planned('a'), planned('b')], { receivedAt: iso(0) });
      const mid = await add([planned('a')], { receivedAt: iso(1000), type: 'roomdrop' });
      const recent = await add([], { receivedAt: iso(2000) });
      await settle(1000, (dest) => (dest === 'b' ? 'kill' : 'succeed'));

      const all = await ctx.store.listEvents({ limit: 10 });
      expect(all.map((e) => e.id)).to.deep.equal([recent.id, mid.id, old.id]);
      expect(all[2]).to.include({ type: 'recording', appId: 'app-1', roomId: old.roomId, confNum: old.confNum, receivedAt: iso(0) });
      expect(all[2]!.deliveries.map((d) => [d.destination, d.status])).to.deep.equal([
        ['a', 'delivered'],
        ['b', 'dead'],
      ]);
      expect(all[0]!.deliveries).to.deep.equal([]);

      expect((await ctx.store.listEvents({ limit: 2 })).map((e) => e.id)).to.deep.equal([recent.id, mid.id]);
      expect((await ctx.store.listEvents({ limit: 10, type: 'roomdrop' })).map((e) => e.id)).to.deep.equal([mid.id]);
      expect((await ctx.store.listEvents({ limit: 10, status: 'dead' })).map((e) => e.id)).to.deep.equal([old.id]);
      expect((await ctx.store.listEvents({ limit: 10, since: at(1000) })).map((e) => e.id)).to.deep.equal([recent.id, mid.id]);
    });
  });

  describe('replay', () => {
    it('puts matching deliveries back to pending, due now, attempts reset, the last error kept; dryRun only counts', async () => {
      const e1 = await add([planned('a'), planned('b')], { receivedAt: iso(0) });
      const e2 = await add([planned('a'), planned('b')], { receivedAt: iso(5000) });
      await settle(5000, (dest) => (dest === 'a' ? 'kill' : 'succeed'));
      const now = at(DAY);

      expect(await ctx.store.replay({ status: 'dead', dryRun: true, now })).to.equal(2);
      expect(await ctx.store.stats()).to.deep.equal({ pending: 0, delivering: 0, delivered: 2, dead: 2 });

      expect(await ctx.store.replay({ status: 'dead', eventId: e1.id, now })).to.equal(1);
      const [a1, b1] = await ctx.store.listDeliveries(e1.id);
      expect(a1).to.include({ status: 'pending', attempts: 0, nextAttemptAt: iso(DAY), leaseUntil: null, lastError: 'gave up on a' });
      expect(b1!.status).to.equal('delivered');
      expect((await ctx.store.listDeliveries(e2.id)).map((d) => d.status)).to.deep.equal(['dead', 'delivered']);

      expect(await ctx.store.replay({ destination: 'b', since: at(1), dryRun: true, now })).to.equal(1);
      expect(await ctx.store.replay({ destination: 'b', since: at(1), now })).to.equal(1);
      expect((await ctx.store.listDeliveries(e2.id)).map((d) => d.status)).to.deep.equal(['dead', 'pending']);
      expect((await ctx.store.claim({ now, limit: 10, leaseMs: 1000 })).map((c) => [c.eventId, c.destination, c.attempts])).to.deep.equal([
        [e1.id, 'a', 1],
        [e2.id, 'b', 1],
      ]);
    });

    it('counts a replay of a delivered delivery (a new message), not of a dead or pending one (the same message again), and the claim carries the count', async () => {
      const e = await add([planned('ok'), planned('bad', { orderKey: 'thread-1' })]);
      await settle(0, (dest) => (dest === 'bad' ? 'kill' : 'succeed'));
      const replays = async (): Promise<number[]> => (await ctx.store.listDeliveries(e.id)).map((d) => d.replays);
      expect(await replays()).to.deep.equal([0, 0]);
      // Dead and delivered replayed: only the delivered one counts.
      expect(await ctx.store.replay({ eventId: e.id, now: at(1000) })).to.equal(2);
      expect(await replays()).to.deep.equal([1, 0]);
      // Replayed again while still pending: the same replay, not another.
      expect(await ctx.store.replay({ eventId: e.id, now: at(2000) })).to.equal(2);
      expect(await replays()).to.deep.equal([1, 0]);
      const claimed = await ctx.store.claim({ now: at(3000), limit: 10, leaseMs: 1000 });
      expect(claimed.map((c) => [c.destination, c.replays]).sort()).to.deep.equal([
        ['bad', 0],
        ['ok', 1],
      ]);
      for (const c of claimed) await ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts, claim: c.claim }));
      // Both delivered now: each replay of them is a new message.
      expect(await ctx.store.replay({ eventId: e.id, now: at(4000) })).to.equal(2);
      expect(await replays()).to.deep.equal([2, 1]);
      expect((await ctx.store.listEvents({ limit: 1 }))[0]!.deliveries.map((d) => d.replays)).to.deep.equal([2, 1]);
    });

    it('never touches a delivery being delivered', async () => {
      await add([planned('a')]);
      await ctx.store.claim({ now: at(0), limit: 10, leaseMs: 1000 });
      expect(await ctx.store.replay({ now: at(10) })).to.equal(0);
      expect(await ctx.store.replay({ status: 'delivering', now: at(10) })).to.equal(0);
      expect((await ctx.store.stats()).delivering).to.equal(1);
    });
  });

  describe('purge', () => {
    it('deletes finished events received before the cut, never those with work left', async () => {
      const delivered = await add([planned('ok'), planned('ok2')], { receivedAt: iso(0) });
      const dead = await add([planned('ok'), planned('bad')], { receivedAt: iso(0) });
      const pending = await add([planned('later')], { receivedAt: iso(0) });
      const inFlight = await add([planned('slow')], { receivedAt: iso(0) });
      const unrouted = await add([], { receivedAt: iso(0) });
      const young = await add([planned('ok')], { receivedAt: iso(DAY) });
      await settle(DAY, (dest) => (dest === 'bad' ? 'kill' : dest.startsWith('ok') ? 'succeed' : 'leave'));
      // `later` back to pending, `slow` still delivering.
      const [later] = await ctx.store.listDeliveries(pending.id);
      await ctx.store.retryLater(later!.id, at(2 * DAY), attemptOf('retry', { attempt: 1 }));
      const deliveredIds = (await ctx.store.listDeliveries(delivered.id)).map((d) => d.id);

      const before = at(DAY);
      // A dry run counts exactly what the purge then deletes, and deletes nothing.
      expect(await ctx.store.purge({ before, dryRun: true })).to.equal(2);
      expect(await ctx.store.purge({ before, delivered: false, dead: true, dryRun: true })).to.equal(1);
      expect(await ctx.store.getEvent(delivered.id)).to.not.equal(null);
      expect(await ctx.store.purge({ before })).to.equal(2);
      expect(await ctx.store.getEvent(delivered.id)).to.equal(null);
      expect(await ctx.store.getEvent(unrouted.id)).to.equal(null);
      expect(await ctx.store.listDeliveries(delivered.id)).to.deep.equal([]);
      expect(await ctx.store.listAttempts(deliveredIds[0]!)).to.deep.equal([]);
      expect(await ctx.store.getEvent(dead.id)).to.not.equal(null);

      expect(await ctx.store.purge({ before, delivered: false, dead: true })).to.equal(1);
      expect(await ctx.store.getEvent(dead.id)).to.equal(null);

      expect(await ctx.store.purge({ before: at(10 * DAY), delivered: true, dead: true })).to.equal(1);
      expect(await ctx.store.getEvent(young.id)).to.equal(null);
      expect(await ctx.store.getEvent(pending.id)).to.not.equal(null);
      expect(await ctx.store.getEvent(inFlight.id)).to.not.equal(null);
      expect(await ctx.store.stats()).to.deep.equal({ pending: 1, delivering: 1, delivered: 0, dead: 0 });
    });

    it('keeps dead events unless asked', async () => {
      const dead = await add([planned('bad')], { receivedAt: iso(0) });
      await settle(0, () => 'kill');
      expect(await ctx.store.purge({ before: at(DAY) })).to.equal(0);
      expect(await ctx.store.purge({ before: at(DAY), dead: true })).to.equal(1);
      expect(await ctx.store.getEvent(dead.id)).to.equal(null);
    });
  });
}
