import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { at, DAY, iso, makeEvent, NON_UTF8, planned, rejectionOf } from './store-fixtures.js';

export function ingestContract(ctx: Ctx): void {
  describe('ingest', () => {
    const since = at(-DAY);

    it('stores the event and its deliveries, due at once, and reads the event back whole', async () => {
      const e = makeEvent({ raw: NON_UTF8, contentType: 'text/plain' });
      const ds = [planned('slack-ops', { orderKey: 'app-1/room/conf#ops' }), planned('console', { route: null })];
      const r = await ctx.store.ingest(e, ds, { dedupeSince: since });
      expect(r).to.deep.equal({ eventId: e.id, duplicate: false, deliveries: 2 });

      const back = await ctx.store.getEvent(e.id);
      expect(back).to.deep.equal(e);
      expect(Buffer.isBuffer(back!.raw)).to.equal(true);
      expect(Buffer.compare(back!.raw, NON_UTF8)).to.equal(0);

      const stored = await ctx.store.listDeliveries(e.id);
      expect(stored.map((d) => [d.id, d.destination, d.route, d.orderKey, d.status, d.attempts])).to.deep.equal([
        [ds[0]!.id, 'slack-ops', 'route-1', 'app-1/room/conf#ops', 'pending', 0],
        [ds[1]!.id, 'console', null, null, 'pending', 0],
      ]);
      for (const d of stored) {
        expect(d.eventId).to.equal(e.id);
        expect(d.nextAttemptAt).to.equal(e.receivedAt);
        expect(d.leaseUntil).to.equal(null);
        expect(d.lastError).to.equal(null);
      }
    });

    it('keeps the type-specific fields and an unknown occurredAt', async () => {
      const e = makeEvent({ type: 'transcoded', stage: 3, fileSize: 1048576, occurredAt: null });
      const f = makeEvent({ type: 'file-transfer', destination: { name: 'awss3', host: 'bucket', account: 'acct' }, files: [{ url: 'a' }, { url: 'b' }] });
      await ctx.store.ingest(e, [], { dedupeSince: since });
      await ctx.store.ingest(f, [], { dedupeSince: since });
      expect(await ctx.store.getEvent(e.id)).to.deep.equal(e);
      expect(await ctx.store.getEvent(f.id)).to.deep.equal(f);
      expect(await ctx.store.getEvent('no-such-id')).to.equal(null);
    });

    it('answers a repeat inside the dedupe window with the first id and stores nothing', async () => {
      const first = makeEvent({ receivedAt: iso(0) });
      const again = makeEvent({ receivedAt: iso(60_000), dedupeKey: first.dedupeKey });
      await ctx.store.ingest(first, [planned('a')], { dedupeSince: at(-DAY) });
      const r = await ctx.store.ingest(again, [planned('a')], { dedupeSince: at(60_000 - DAY) });
      expect(r).to.deep.equal({ eventId: first.id, duplicate: true, deliveries: 0 });
      expect(await ctx.store.getEvent(again.id)).to.equal(null);
      expect((await ctx.store.stats()).pending).to.equal(1);
    });

    it('stores a repeat that comes after the window', async () => {
      const first = makeEvent({ receivedAt: iso(0) });
      const later = makeEvent({ receivedAt: iso(DAY + 1), dedupeKey: first.dedupeKey });
      await ctx.store.ingest(first, [planned('a')], { dedupeSince: at(-DAY) });
      // The window starts just after the first one arrived.
      const r = await ctx.store.ingest(later, [planned('a')], { dedupeSince: at(1) });
      expect(r).to.deep.equal({ eventId: later.id, duplicate: false, deliveries: 1 });
      expect((await ctx.store.stats()).pending).to.equal(2);
    });

    it('dedupes two identical bodies that arrive together', async () => {
      const a = makeEvent();
      const b = makeEvent({ dedupeKey: a.dedupeKey });
      const rs = await Promise.all([ctx.store.ingest(a, [planned('x')], { dedupeSince: since }), ctx.store.ingest(b, [planned('x')], { dedupeSince: since })]);
      expect(rs.filter((r) => r.duplicate)).to.have.length(1);
      expect(rs[0]!.eventId).to.equal(rs[1]!.eventId);
      expect((await ctx.store.stats()).pending).to.equal(1);
    });

    it('stores every one of 200 concurrent ingests', async () => {
      const events = Array.from({ length: 200 }, () => makeEvent());
      const rs = await Promise.all(events.map((e) => ctx.store.ingest(e, [planned('a')], { dedupeSince: since })));
      expect(rs.every((r, i) => !r.duplicate && r.eventId === events[i]!.id && r.deliveries === 1)).to.equal(true);
      expect((await ctx.store.stats()).pending).to.equal(200);
      expect(await ctx.store.listEvents({ limit: 1000 })).to.have.length(200);
    });

    it('fails only the bad one of concurrent ingests, leaving nothing of it', async () => {
      const taken = planned('a');
      await ctx.store.ingest(makeEvent(), [taken], { dedupeSince: since });
      const bad = makeEvent();
      const good = makeEvent();
      const [badResult, goodResult] = await Promise.allSettled([
        ctx.store.ingest(bad, [planned('b'), { ...taken }], { dedupeSince: since }),
        ctx.store.ingest(good, [planned('a')], { dedupeSince: since }),
      ]);
      expect(badResult.status).to.equal('rejected');
      expect(goodResult).to.deep.equal({ status: 'fulfilled', value: { eventId: good.id, duplicate: false, deliveries: 1 } });
      expect(await ctx.store.getEvent(bad.id)).to.equal(null);
      expect(await ctx.store.listDeliveries(bad.id)).to.deep.equal([]);
      expect(await ctx.store.getEvent(good.id)).to.not.equal(null);
    });

    it('rejects after close, with StoreUnavailableError, but finishes ingests already submitted', async () => {
      const pending = ctx.store.ingest(makeEvent(), [planned('a')], { dedupeSince: since });
      await ctx.store.close();
      expect((await pending).duplicate).to.equal(false);
      const err = await rejectionOf(ctx.store.ingest(makeEvent(), [], { dedupeSince: since }));
      expect(err).to.be.instanceOf(StoreUnavailableError);
      expect(err).to.have.property('httpStatus', 503);
    });
  });
}
