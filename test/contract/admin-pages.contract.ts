import { expect } from 'chai';
import { deadReason } from '../../src/domain/dead-reason.js';
import type { PlannedDelivery } from '../../src/domain/delivery.js';
import type { RelayEvent } from '../../src/domain/event.js';
import type { EventCursor, EventPageQuery } from '../../src/store/admin-types.js';
import type { Ctx } from './store.contract.js';
import { at, attemptOf, DAY, iso, makeEvent, planned } from './store-fixtures.js';

/** The admin API's reads: cursor pages, dead letters, health counts (admin-types.ts). */
export function adminPagesContract(ctx: Ctx): void {
  const add = async (deliveries: PlannedDelivery[], over: Partial<RelayEvent> = {}): Promise<RelayEvent> => {
    const e = makeEvent(over);
    await ctx.store.ingest(e, deliveries, { dedupeSince: at(-DAY) });
    return e;
  };
  /** Claims everything due and ends each as `fate(destination)` says; `kill` dies with `error(destination)`. */
  const settle = async (fate: (destination: string) => 'succeed' | 'leave' | string) => {
    for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 1000, leaseMs: 1000 })) {
      const f = fate(c.destination);
      if (f === 'succeed') await ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts }));
      else if (f !== 'leave') await ctx.store.kill(c.id, f, attemptOf('permanent', { attempt: c.attempts }));
    }
  };
  /** Every page from the newest, following `next`; the ids in the order read. */
  const readAll = async (q: Omit<EventPageQuery, 'before'>): Promise<{ ids: string[]; pages: number }> => {
    const ids: string[] = [];
    let before: EventCursor | undefined;
    let pages = 0;
    for (;;) {
      const page = await ctx.store.pageEvents({ ...q, before });
      pages++;
      ids.push(...page.items.map((e) => e.id));
      if (!page.next) return { ids, pages };
      expect(pages, 'pages never end').to.be.below(100);
      before = page.next;
    }
  };

  describe('pageEvents', () => {
    it('pages newest first by (receivedAt, id), ties included, each event once, with its deliveries', async () => {
      const events: RelayEvent[] = [];
      // Three events share each millisecond: the id breaks the tie.
      for (let i = 0; i < 12; i++) events.push(await add(i % 4 === 0 ? [] : [planned('a')], { receivedAt: iso(Math.floor(i / 3) * 1000) }));
      const newestFirst = [...events].sort((x, y) => y.receivedAt.localeCompare(x.receivedAt) || (y.id < x.id ? -1 : 1)).map((e) => e.id);

      const first = await ctx.store.pageEvents({ limit: 5 });
      expect(first.items.map((e) => e.id)).to.deep.equal(newestFirst.slice(0, 5));
      expect(first.next).to.deep.equal({ receivedAt: first.items[4]!.receivedAt, id: first.items[4]!.id });
      const withDeliveries = first.items.find((e) => e.deliveries.length > 0)!;
      expect(withDeliveries.deliveries[0]).to.include({ destination: 'a', status: 'pending', eventId: withDeliveries.id });
      expect((await readAll({ limit: 5 })).ids).to.deep.equal(newestFirst);
      expect((await readAll({ limit: 1 })).ids).to.deep.equal(newestFirst);
      expect((await readAll({ limit: 100 })).pages).to.equal(1);
    });

    it('filters by type, app, room, delivery status and a time range, alone and together', async () => {
      const a = await add([planned('x')], { type: 'roomdrop', appId: 'app-a', roomId: 'room-1', receivedAt: iso(1000) });
      const b = await add([planned('x'), planned('y')], { type: 'recording', appId: 'app-a', roomId: 'room-2', receivedAt: iso(2000) });
      const c = await add([planned('y')], { type: 'recording', appId: 'app-b', roomId: 'room-1', receivedAt: iso(3000) });
      const d = await add([], { type: 'file-transfer', appId: 'app-b', roomId: 'room-3', receivedAt: iso(4000) });
      await settle((dest) => (dest === 'y' ? 'client: HTTP 410' : 'succeed'));
      const ids = async (q: Omit<EventPageQuery, 'before'>): Promise<string[]> => (await readAll(q)).ids;

      expect(await ids({ limit: 10, type: 'recording' })).to.deep.equal([c.id, b.id]);
      expect(await ids({ limit: 10, appId: 'app-b' })).to.deep.equal([d.id, c.id]);
      expect(await ids({ limit: 10, roomId: 'room-1' })).to.deep.equal([c.id, a.id]);
      expect(await ids({ limit: 10, status: 'dead' })).to.deep.equal([c.id, b.id]);
      expect(await ids({ limit: 10, status: 'delivered' })).to.deep.equal([b.id, a.id]);
      expect(await ids({ limit: 10, status: 'pending' })).to.deep.equal([]);
      expect(await ids({ limit: 10, since: at(2000), until: at(4000) })).to.deep.equal([c.id, b.id]);
      expect(await ids({ limit: 10, roomId: 'room-1', status: 'dead' })).to.deep.equal([c.id]);
      expect(await ids({ limit: 10, status: 'dead', type: 'recording', appId: 'app-a' })).to.deep.equal([b.id]);
      expect(await ids({ limit: 10, type: 'recording', appId: 'app-b', since: at(3000) })).to.deep.equal([c.id]);
      expect(await ids({ limit: 10, status: 'dead', until: at(3000) })).to.deep.equal([b.id]);
      expect(await ids({ limit: 10, roomId: 'no-such-room' })).to.deep.equal([]);
    });

    it('reads at most the scan budget per page: a rare match comes after short pages that say where to go on', async () => {
      const rare = await add([planned('x')], { type: 'transcoded', receivedAt: iso(0) });
      for (let i = 1; i <= 7; i++) await add([planned('x')], { type: 'roomdrop', receivedAt: iso(i * 1000) });
      await settle(() => 'succeed');
      const [only] = (await ctx.store.listDeliveries(rare.id)).map((x) => x.id);
      await ctx.store.replay({ deliveryIds: [only!], now: at(10 * DAY) });
      // status=pending has no index of its own: the time index is read, 3 entries a page.
      const first = await ctx.store.pageEvents({ limit: 5, status: 'pending', scanBudget: 3 });
      expect(first.items).to.deep.equal([]);
      expect(first.next).to.not.equal(null);
      const all = await readAll({ limit: 5, status: 'pending', scanBudget: 3 });
      expect(all.ids).to.deep.equal([rare.id]);
      expect(all.pages).to.equal(3);
      // A filter its own index applies needs no window: the page is what the index gives.
      expect((await ctx.store.pageEvents({ limit: 5, type: 'roomdrop', scanBudget: 3 })).items).to.have.length(5);
      expect((await ctx.store.pageEvents({ limit: 5, status: 'pending', type: 'transcoded', scanBudget: 3 })).items.map((e) => e.id)).to.deep.equal([rare.id]);
    });

    it('stores a delivery with its event\'s arrival as createdAt (the dead-letter pages order by it)', async () => {
      const e = await add([planned('x'), planned('y')], { receivedAt: iso(1234) });
      for (const d of await ctx.store.listDeliveries(e.id)) expect(d.createdAt).to.equal(e.receivedAt);
    });
  });

  describe('dead letters', () => {
    const errors = [
      'client: http_410: gone',
      'gave up after 3 attempts: server: http_503: unavailable',
      'gave up after 12 attempts: timeout: no answer within 2000 ms',
      'config: destination "old" is no longer in the rules',
      'auth: slack invalid_auth',
      'something the worker never writes',
      'clientish: not a reason',
      'gave up after 2 attempts: rate_limited: slack_rate_limited: Slack asked to wait 30s',
    ];

    it('pages dead deliveries newest event first, by destination and reason, with the reason read as deadReason() reads it', async () => {
      const events: RelayEvent[] = [];
      for (let i = 0; i < errors.length; i++) events.push(await add([planned('a'), planned('b')], { receivedAt: iso(i * 1000) }));
      const errorOf = new Map<string, string>();
      for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 100, leaseMs: 1000 })) {
        const i = events.findIndex((e) => e.id === c.eventId);
        if (c.destination === 'b' && i % 2 === 1) {
          await ctx.store.succeed(c.id, attemptOf('success', { attempt: c.attempts }));
          continue;
        }
        errorOf.set(c.id, errors[i]!);
        await ctx.store.kill(c.id, errors[i]!, attemptOf('permanent', { attempt: c.attempts }));
      }
      const all = await ctx.store.pageDeadLetters({ limit: 100 });
      expect(all.next).to.equal(null);
      expect(all.items).to.have.length(errorOf.size);
      expect(all.items.map((d) => d.receivedAt)).to.deep.equal([...all.items.map((d) => d.receivedAt)].sort().reverse());
      for (const d of all.items) {
        expect(d.lastError).to.equal(errorOf.get(d.deliveryId));
        expect(d.reason).to.equal(deadReason(d.lastError));
      }
      const newest = all.items[0]!;
      const event = events[errors.length - 1]!;
      expect(newest).to.include({ eventId: event.id, type: event.type, appId: event.appId, roomId: event.roomId, confNum: event.confNum, receivedAt: event.receivedAt, attempts: 1, route: 'route-1' });
      expect(Date.parse(newest.diedAt)).to.not.be.NaN;

      // One page at a time gives the same, in the same order.
      const paged: string[] = [];
      let before = undefined;
      for (let n = 0; n < 20; n++) {
        const page = await ctx.store.pageDeadLetters({ limit: 3, before });
        paged.push(...page.items.map((d) => d.deliveryId));
        if (!page.next) break;
        before = page.next;
      }
      expect(paged).to.deep.equal(all.items.map((d) => d.deliveryId));

      expect((await ctx.store.pageDeadLetters({ limit: 100, destination: 'b' })).items.map((d) => d.destination)).to.deep.equal(['b', 'b', 'b', 'b']);
      const servers = await ctx.store.pageDeadLetters({ limit: 100, reason: 'server' });
      expect(servers.items.map((d) => [d.destination, d.lastError])).to.deep.equal([['a', errors[1]]]);
      const others = await ctx.store.pageDeadLetters({ limit: 100, destination: 'a', reason: 'other' });
      expect(others.items.map((d) => d.lastError)).to.deep.equal([errors[6], errors[5]]);
      // A reason filter reads a bounded window too: short pages, then the match.
      const sparse: string[] = [];
      let cut = undefined;
      for (let n = 0; n < 20; n++) {
        const page = await ctx.store.pageDeadLetters({ limit: 5, reason: 'server', scanBudget: 2, before: cut });
        sparse.push(...page.items.map((d) => d.lastError ?? ''));
        if (!page.next) break;
        cut = page.next;
      }
      expect(sparse).to.deep.equal([errors[1]]);
    });

    it('groups dead deliveries by destination and reason, most first', async () => {
      const events: string[] = [];
      for (let i = 0; i < errors.length; i++) events.push((await add([planned('a'), planned(i < 2 ? 'b' : 'c')], { receivedAt: iso(i * 1000) })).id);
      for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 100, leaseMs: 1000 })) {
        const error = c.destination === 'a' ? 'client: http_404' : errors[events.indexOf(c.eventId)]!;
        await ctx.store.kill(c.id, error, attemptOf('permanent', { attempt: c.attempts }));
      }
      const { groups, truncated } = await ctx.store.deadLetterGroups({});
      expect(truncated).to.equal(false);
      expect(groups[0]).to.deep.equal({ destination: 'a', reason: 'client', count: 8, oldestAt: iso(0), newestAt: iso(7000), sampleError: 'client: http_404' });
      const rest = groups.slice(1).map((g) => [g.destination, g.reason, g.count]);
      expect(rest).to.have.deep.members([
        ['b', 'client', 1],
        ['b', 'server', 1],
        ['c', 'timeout', 1],
        ['c', 'config', 1],
        ['c', 'auth', 1],
        ['c', 'other', 2],
        ['c', 'rate_limited', 1],
      ]);
      expect(groups.find((g) => g.destination === 'c' && g.reason === 'other')!.sampleError).to.be.oneOf([errors[5], errors[6]]);
      expect((await ctx.store.deadLetterGroups({ destination: 'b' })).groups.map((g) => g.reason).sort()).to.deep.equal(['client', 'server']);
    });

    it('a mirror file whose link expired is dead with reason expired, in pages, filters and groups', async () => {
      // What the mirror writes when the next try would come after the portal link's expiry (file-outcome.ts).
      const expired = 'expired: expired: the next try (2026-12-04T10:00:00.000Z) would come after the portal link expires (2026-12-04T09:00:00.000Z); last try: not_found: HTTP 404';
      await add([planned('vault'), planned('ops')], { receivedAt: iso(0) });
      for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 100, leaseMs: 1000 })) {
        await ctx.store.kill(c.id, c.destination === 'vault' ? expired : 'client: http_410: gone', attemptOf('permanent', { attempt: c.attempts }));
      }
      const vault = (await ctx.store.pageDeadLetters({ limit: 100, destination: 'vault' })).items;
      expect(vault.map((d) => d.reason)).to.deep.equal(['expired']);
      expect(deadReason(expired)).to.equal('expired');
      expect((await ctx.store.pageDeadLetters({ limit: 100, reason: 'expired' })).items.map((d) => d.destination)).to.deep.equal(['vault']);
      expect((await ctx.store.deadLetterGroups({})).groups.map((g) => [g.destination, g.reason, g.count])).to.have.deep.members([
        ['vault', 'expired', 1],
        ['ops', 'client', 1],
      ]);
    });

    it('a mirror file the portal refused (401/403) is dead with reason source_auth, apart from the auth of a destination', async () => {
      // What the mirror writes for a portal 401/403 (portal-status.ts), and an auth failure of another kind.
      const refused = 'source_auth: source_auth: the portal refused the recording-access credentials (HTTP 403) for https://portal.example/r/a.mkv: check source_auth';
      await add([planned('vault'), planned('ops')], { receivedAt: iso(0) });
      for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 100, leaseMs: 1000 })) {
        await ctx.store.kill(c.id, c.destination === 'vault' ? refused : 'auth: invalid_auth: the token was refused', attemptOf('permanent', { attempt: c.attempts }));
      }
      expect(deadReason(refused)).to.equal('source_auth');
      expect((await ctx.store.pageDeadLetters({ limit: 100, reason: 'source_auth' })).items.map((d) => d.destination)).to.deep.equal(['vault']);
      expect((await ctx.store.pageDeadLetters({ limit: 100, reason: 'auth' })).items.map((d) => d.destination)).to.deep.equal(['ops']);
      expect((await ctx.store.deadLetterGroups({})).groups.map((g) => [g.destination, g.reason, g.count])).to.have.deep.members([
        ['vault', 'source_auth', 1],
        ['ops', 'auth', 1],
      ]);
    });

    it('replays a selection of deliveries, or the dead of one destination and reason', async () => {
      for (let i = 0; i < 3; i++) await add([planned('a'), planned('b')], { receivedAt: iso(i * 1000) });
      for (const c of await ctx.store.claim({ now: at(10 * DAY), limit: 100, leaseMs: 1000 })) {
        await ctx.store.kill(c.id, c.destination === 'a' ? 'gave up after 9 attempts: server: http_500' : 'client: http_400', attemptOf('permanent', { attempt: c.attempts }));
      }
      const dead = (await ctx.store.pageDeadLetters({ limit: 100 })).items;
      const now = at(11 * DAY);
      const pick = dead.filter((d) => d.destination === 'b').slice(0, 2).map((d) => d.deliveryId);
      expect(await ctx.store.replay({ deliveryIds: pick, dryRun: true, now })).to.equal(2);
      expect(await ctx.store.replay({ deliveryIds: [], now })).to.equal(0);
      expect(await ctx.store.replay({ destination: 'a', reason: 'client', now })).to.equal(0);
      expect(await ctx.store.replay({ destination: 'a', reason: 'server', dryRun: true, now })).to.equal(3);
      expect(await ctx.store.replay({ deliveryIds: pick, now })).to.equal(2);
      expect(await ctx.store.replay({ reason: 'server', now })).to.equal(3);
      const left = (await ctx.store.pageDeadLetters({ limit: 100 })).items;
      expect(left.map((d) => d.deliveryId)).to.deep.equal(dead.filter((d) => d.destination === 'b' && !pick.includes(d.deliveryId)).map((d) => d.deliveryId));
      expect((await ctx.store.stats()).pending).to.equal(5);
    });
  });

  describe('health', () => {
    it('counts each destination\'s unfinished and dead deliveries and finds the oldest unfinished', async () => {
      await add([planned('a'), planned('b')], { receivedAt: iso(0) });
      await add([planned('a')], { receivedAt: iso(1000) });
      await add([planned('a'), planned('b')], { receivedAt: iso(2000) });
      // The first `a` is taken by a worker (delivering); b's first dies; the rest wait.
      const claimed = await ctx.store.claim({ now: at(0), limit: 2, leaseMs: 60_000 });
      expect(claimed.map((c) => c.destination).sort()).to.deep.equal(['a', 'b']);
      await ctx.store.kill(claimed.find((c) => c.destination === 'b')!.id, 'client: http_404', attemptOf('permanent', { attempt: 1 }));
      const health = await ctx.store.destinationHealth(['a', 'b', 'none']);
      expect(health).to.deep.equal([
        { destination: 'a', unfinished: 3, oldestUnfinishedAt: iso(0), dead: 0 },
        { destination: 'b', unfinished: 1, oldestUnfinishedAt: iso(2000), dead: 1 },
        { destination: 'none', unfinished: 0, oldestUnfinishedAt: null, dead: 0 },
      ]);
    });

    it('counts events received since a time, up to a cap', async () => {
      for (let i = 0; i < 5; i++) await add([], { receivedAt: iso(i * 1000) });
      expect(await ctx.store.countEventsSince(at(2000), 100)).to.equal(3);
      expect(await ctx.store.countEventsSince(at(2000), 2)).to.equal(2);
      expect(await ctx.store.countEventsSince(at(9000), 100)).to.equal(0);
    });
  });

  describe('pageRejected', () => {
    it('pages rejected bodies newest first by id', async () => {
      for (let i = 0; i < 5; i++) {
        await ctx.store.recordRejected({ receivedAt: iso(i), code: 'invalid_json', reason: `bad ${i}`, raw: Buffer.from(`{${i}`), contentType: null }, 100);
      }
      const first = await ctx.store.pageRejected({ limit: 2 });
      expect(first.map((r) => r.reason)).to.deep.equal(['bad 4', 'bad 3']);
      const second = await ctx.store.pageRejected({ limit: 2, before: first[1]!.id });
      expect(second.map((r) => r.reason)).to.deep.equal(['bad 2', 'bad 1']);
      expect((await ctx.store.pageRejected({ limit: 10, before: second[1]!.id })).map((r) => r.raw.toString())).to.deep.equal(['{0']);
    });
  });
}
