import { expect } from 'chai';
import type { Ctx } from './store.contract.js';
import type { RelayEvent } from '../../src/domain/event.js';
import { sessionTouch } from '../../src/sessions/session-touch.js';
import type { ExpectationSpec } from '../../src/sessions/expectation.js';
import { formatSessionKey } from '../../src/sessions/session-key.js';
import type { SessionRecord } from '../../src/sessions/session-types.js';
import { at, DAY } from './store-fixtures.js';
import { expectation, idOf, sessionEvent } from './session-fixtures.js';

const HOUR = 3600_000;
const KEY = formatSessionKey({ appId: 'app-1', roomId: 'room-1', confNum: 'conf-1' });

/** The four EnableX events of one session, plus an unknown type and a mirror announcement. */
export function sessionStory(): RelayEvent[] {
  return [
    sessionEvent({ type: 'roomdrop', trans_date: 1740823500 }, at(0), idOf('drop')),
    sessionEvent({ type: 'recording', recording: ['https://p.example/rec/a.mp4', 'https://p.example/rec/b.mp4'] }, at(60_000), idOf('rec')),
    sessionEvent({ type: 'transcoded', stage: 1, file_size: 1000, recording: 'https://p.example/t/one.mp4' }, at(120_000), idOf('t1')),
    sessionEvent({ type: 'transcoded', stage: 2, file_size: 2000, recording: 'https://p.example/t/two.mp4' }, at(180_000), idOf('t2')),
    sessionEvent({ type: 'file-transfer', destination: { name: 'AWSS3', host: 'bucket' }, files: [{ url: 'https://p.example/t/one.mp4' }] }, at(240_000), idOf('xfer')),
    sessionEvent({ type: 'poll-ended', poll: 7 }, at(300_000), idOf('unk')),
  ];
}

export function sessionsContract(ctx: Ctx): void {
  describe('sessions', () => {
    const since = at(-DAY);
    const put = (e: RelayEvent, expectations: ExpectationSpec[] = [], dedupeSince = since): ReturnType<Ctx['store']['ingest']> =>
      ctx.store.ingest(e, [], { dedupeSince, session: sessionTouch(e, expectations) ?? undefined });
    const withoutWatchTimes = (r: SessionRecord | null): unknown => r && { ...r, watches: r.watches.map((w) => ({ ...w, updatedAt: '-' })) };

    it('folds every event of a session into one record', async () => {
      for (const e of sessionStory()) await put(e);
      const r = await ctx.store.getSession(KEY);
      expect(r).to.not.equal(null);
      expect(r!).to.include({ key: KEY, appId: 'app-1', roomId: 'room-1', confNum: 'conf-1', firstAt: at(0).toISOString(), lastAt: at(300_000).toISOString() });
      expect(r!.endedAt).to.equal('2025-03-01T10:05:00.000Z');
      expect(r!.recordings.map((f) => [f.name, f.eventId])).to.deep.equal([
        ['a.mp4', idOf('rec')],
        ['b.mp4', idOf('rec')],
      ]);
      expect(r!.transcoded.map((t) => [t.stage, t.name, t.sizeBytes])).to.deep.equal([
        [1, 'one.mp4', 1000],
        [2, 'two.mp4', 2000],
      ]);
      expect(r!.transfers).to.deep.equal([{ destination: { name: 'awss3', host: 'bucket' }, files: [{ name: 'one.mp4', url: 'https://p.example/t/one.mp4' }], eventId: idOf('xfer') }]);
      expect(r!.unknown.map((u) => [u.type, u.id])).to.deep.equal([['poll-ended', idOf('unk')]]);
      expect(r!.events.map((e) => e.id)).to.deep.equal(['drop', 'rec', 't1', 't2', 'xfer', 'unk'].map(idOf));
      const page = await ctx.store.pageSessions({ limit: 10 });
      expect(page.items).to.deep.equal([
        { key: KEY, appId: 'app-1', roomId: 'room-1', confNum: 'conf-1', firstAt: at(0).toISOString(), lastAt: at(300_000).toISOString(), endedAt: '2025-03-01T10:05:00.000Z', events: 6, overdue: 0 },
      ]);
    });

    it('ends in the same record whatever the order, with repeats after the dedupe window', async () => {
      const story = sessionStory();
      const order = [4, 2, 5, 0, 3, 1];
      for (const i of order) await put(story[i]!);
      // The same bodies again, later (a later UUIDv7), after the dedupe window: nothing changes.
      for (const i of [1, 4]) await put({ ...story[i]!, id: `ffffffff-again-${i}`, receivedAt: at(DAY).toISOString() }, [], at(DAY));
      const shuffled = await ctx.store.getSession(KEY);
      expect(shuffled!.events).to.have.length(6);
      expect(shuffled!.recordings.map((f) => f.eventId)).to.deep.equal([idOf('rec'), idOf('rec')]);
      expect((await ctx.store.pageSessions({ limit: 1 })).items[0]).to.include({ events: 6, lastAt: at(300_000).toISOString() });
    });

    it('makes no record for an event about no session, and none for a duplicate', async () => {
      const e = sessionEvent({ type: 'recording', app_id: '', room_id: '', conf_num: '' }, at(0));
      expect(sessionTouch(e, [])).to.equal(null);
      await ctx.store.ingest(e, [], { dedupeSince: since });
      expect((await ctx.store.pageSessions({ limit: 10 })).items).to.deep.equal([]);
      const d = sessionEvent({ type: 'recording', recording: ['https://p.example/x.mp4'] }, at(0));
      await put(d);
      const again = await put({ ...d, id: idOf('dup'), receivedAt: at(1000).toISOString() });
      expect(again.duplicate).to.equal(true);
      expect((await ctx.store.getSession(KEY))!.events.map((x) => x.id)).to.deep.equal([d.id]);
    });

    it('opens a watch at the `after` event; the `then` in time meets it; `when` filters on the after event', async () => {
      const x = [expectation('rec-after-drop', 'roomdrop', 'recording', 2 * HOUR), expectation('other-app', 'roomdrop', 'file-transfer', HOUR, { app_id: '64f0*' })];
      await put(sessionEvent({ type: 'roomdrop' }, at(0)), x);
      let r = await ctx.store.getSession(KEY);
      expect(r!.watches.map((w) => [w.name, w.afterType, w.thenType, w.afterAt, w.dueAt, w.state])).to.deep.equal([
        ['rec-after-drop', 'roomdrop', 'recording', at(0).toISOString(), at(2 * HOUR).toISOString(), 'waiting'],
      ]);
      expect(await ctx.store.dueWatches(at(2 * HOUR - 1), 10)).to.deep.equal([]);
      await put(sessionEvent({ type: 'recording', recording: 'https://p.example/a.mp4' }, at(HOUR)), x);
      r = await ctx.store.getSession(KEY);
      expect(r!.watches.map((w) => w.state)).to.deep.equal(['met']);
      expect(await ctx.store.dueWatches(at(3 * HOUR), 10)).to.deep.equal([]);
    });

    it('meets an expectation whose `then` came before its `after`', async () => {
      const x = [expectation('rec-after-drop', 'roomdrop', 'recording', 2 * HOUR)];
      await put(sessionEvent({ type: 'recording', recording: 'https://p.example/a.mp4' }, at(0)), x);
      await put(sessionEvent({ type: 'roomdrop' }, at(1000)), x);
      expect((await ctx.store.getSession(KEY))!.watches.map((w) => w.state)).to.deep.equal(['met']);
      expect(await ctx.store.dueWatches(at(DAY), 10)).to.deep.equal([]);
    });

    it('lists a watch past due, then late once the `then` comes after the overdue; marks are conditional', async () => {
      const x = [expectation('rec-after-drop', 'roomdrop', 'recording', 2 * HOUR)];
      await put(sessionEvent({ type: 'roomdrop' }, at(0)), x);
      const due = await ctx.store.dueWatches(at(2 * HOUR), 10);
      expect(due.map((d) => [d.key, d.appId, d.roomId, d.confNum, d.watch.name, d.watch.state, d.thenSeen, d.typesSeen])).to.deep.equal([
        [KEY, 'app-1', 'room-1', 'conf-1', 'rec-after-drop', 'waiting', false, ['roomdrop']],
      ]);
      const toOverdue = [
        { key: KEY, name: 'rec-after-drop', from: 'waiting' as const, to: 'overdue' as const },
        { key: KEY, name: 'rec-after-drop', from: 'met' as const, to: 'late' as const },
      ];
      expect(await ctx.store.markWatches(toOverdue, at(2 * HOUR))).to.equal(1);
      expect(await ctx.store.markWatches(toOverdue, at(2 * HOUR))).to.equal(0);
      expect(await ctx.store.dueWatches(at(3 * HOUR), 10)).to.deep.equal([]);
      expect((await ctx.store.pageSessions({ limit: 10, overdue: true })).items.map((s) => [s.key, s.overdue])).to.deep.equal([[KEY, 1]]);

      await put(sessionEvent({ type: 'recording', recording: 'https://p.example/a.mp4' }, at(3 * HOUR)), x);
      const late = await ctx.store.dueWatches(at(3 * HOUR), 10);
      expect(late.map((d) => [d.watch.state, d.thenSeen, d.typesSeen])).to.deep.equal([['late', true, ['recording', 'roomdrop']]]);
      expect((await ctx.store.pageSessions({ limit: 10, overdue: true })).items).to.deep.equal([]);
      expect(await ctx.store.markWatches([{ key: KEY, name: 'rec-after-drop', from: 'late', to: 'recovered' }], at(3 * HOUR))).to.equal(1);
      expect(await ctx.store.dueWatches(at(DAY), 10)).to.deep.equal([]);
      expect(withoutWatchTimes(await ctx.store.getSession(KEY))).to.have.nested.property('watches[0].state', 'recovered');
    });

    it('retention forgets sessions idle since before the cut, except one whose watch is still to fire or recover', async () => {
      const x = [expectation('rec-after-drop', 'roomdrop', 'recording', 2 * HOUR)];
      const s = (room: string, type: string, t: number): RelayEvent => sessionEvent({ type, room_id: room, ...(type === 'recording' ? { recording: 'https://p.example/a.mp4' } : {}) }, at(t));
      await put(s('old-done', 'recording', 0), x);
      await put(s('old-waiting', 'roomdrop', 0), x);
      await put(s('new', 'recording', DAY), x);
      const key = (room: string): string => formatSessionKey({ appId: 'app-1', roomId: room, confNum: 'conf-1' });
      expect(await ctx.store.purgeSessions(at(DAY - 1))).to.equal(1);
      expect(await ctx.store.getSession(key('old-done'))).to.equal(null);
      expect(await ctx.store.getSession(key('old-waiting'))).to.not.equal(null);
      expect(await ctx.store.getSession(key('new'))).to.not.equal(null);
      // Once its watch fired, it goes too.
      await ctx.store.markWatches([{ key: key('old-waiting'), name: 'rec-after-drop', from: 'waiting', to: 'overdue' }], at(2 * HOUR));
      expect(await ctx.store.purgeSessions(at(DAY - 1))).to.equal(1);
      expect((await ctx.store.pageSessions({ limit: 10 })).items.map((r) => r.key)).to.deep.equal([key('new')]);
    });

    it('pages sessions newest first by last event, by app and room, with a cursor', async () => {
      const sessions = [
        ['a', 'r1', 'c1', 0],
        ['a', 'r2', 'c1', 2000],
        ['b', 'r1', 'c2', 1000],
        ['a', 'r1', 'c3', 3000],
      ] as const;
      for (const [app, room, conf, t] of sessions) await put(sessionEvent({ type: 'roomdrop', app_id: app, room_id: room, conf_num: conf }, at(t)));
      const key = (app: string, room: string, conf: string): string => formatSessionKey({ appId: app, roomId: room, confNum: conf });
      const all = await ctx.store.pageSessions({ limit: 2 });
      expect(all.items.map((s) => s.key)).to.deep.equal([key('a', 'r1', 'c3'), key('a', 'r2', 'c1')]);
      const rest = await ctx.store.pageSessions({ limit: 2, before: all.next! });
      expect(rest.items.map((s) => s.key)).to.deep.equal([key('b', 'r1', 'c2'), key('a', 'r1', 'c1')]);
      expect((await ctx.store.pageSessions({ limit: 10, appId: 'a' })).items.map((s) => s.key)).to.deep.equal([key('a', 'r1', 'c3'), key('a', 'r2', 'c1'), key('a', 'r1', 'c1')]);
      expect((await ctx.store.pageSessions({ limit: 10, roomId: 'r1', appId: 'a' })).items.map((s) => s.key)).to.deep.equal([key('a', 'r1', 'c3'), key('a', 'r1', 'c1')]);
      expect((await ctx.store.pageSessions({ limit: 10, roomId: 'r1' })).next).to.equal(null);
      expect(await ctx.store.getSession(key('x', 'y', 'z'))).to.equal(null);
    });
  });
}
