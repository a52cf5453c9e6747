import { expect } from 'chai';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { startRetention, type Retention } from '../../../src/store/retention.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { at, attemptOf, DAY, iso, makeEvent, planned } from '../../contract/store-fixtures.js';
import { eventually } from '../../support/eventually.js';
import { LineCapture } from '../../support/line-capture.js';
import { tempDir } from '../../support/temp-dir.js';

const RETENTION = 14 * DAY;

describe('startRetention', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let now: Date;
  const clock = { now: () => now };
  let lines: LineCapture;
  let retention: Retention | null;

  const start = (over: { store?: Store; everyMs?: number } = {}): Retention => {
    retention = startRetention({ store, logger: createLogger({ level: 'info', destination: lines }), retentionMs: RETENTION, clock, ...over });
    return retention;
  };
  const logged = (): { level: number; msg: string; purged?: number; before?: string }[] => lines.lines.map((l) => JSON.parse(l));

  /** An event received at `ms` whose one delivery is delivered. */
  const delivered = async (ms: number): Promise<string> => {
    const e = makeEvent({ receivedAt: iso(ms) });
    await store.ingest(e, [planned('a')], { dedupeSince: at(ms - DAY) });
    const [c] = await store.claim({ now: at(ms), limit: 1, leaseMs: 1000 });
    await store.succeed(c!.id, attemptOf('success', { attempt: c!.attempts }));
    return e.id;
  };
  /** An event received at `ms` whose delivery is still pending. */
  const pending = async (ms: number): Promise<string> => {
    const e = makeEvent({ receivedAt: iso(ms) });
    await store.ingest(e, [planned('a')], { dedupeSince: at(ms - DAY) });
    return e.id;
  };
  const stateAt = async (ms: number, key: string): Promise<void> => {
    now = at(ms);
    await store.setState(key, `value of ${key}`);
  };

  /** Old and recent events and state; the clock ends 20 days on, so the cut is day 6. */
  const seed = async (): Promise<{ oldDelivered: string; oldPending: string; newDelivered: string }> => {
    now = at(0);
    // The pending one last: claims take the earliest due delivery first.
    const ids = { oldDelivered: await delivered(0), newDelivered: await delivered(19 * DAY), oldPending: await pending(0) };
    await stateAt(0, 'slack:idle');
    await stateAt(0, 'email:active');
    await stateAt(19 * DAY, 'email:active');
    await stateAt(19 * DAY, 'slack:recent');
    now = at(20 * DAY);
    return ids;
  };

  beforeEach(async () => {
    tmp = tempDir('enx-relay-retention-');
    now = at(0);
    store = new SqliteStore(join(tmp.dir, 'relay.db'), { clock });
    await store.migrate();
    lines = new LineCapture();
    retention = null;
  });
  afterEach(async () => {
    retention?.stop();
    await store.close();
    tmp.cleanup();
  });

  it('purges delivered events and idle thread state older than the retention age, and logs how many', async () => {
    const ids = await seed();
    await start().runOnce();

    expect(await store.getEvent(ids.oldDelivered)).to.equal(null);
    expect(await store.getEvent(ids.oldPending)).to.not.equal(null);
    expect(await store.getEvent(ids.newDelivered)).to.not.equal(null);
    expect(await store.getState('slack:idle')).to.equal(null);
    expect(await store.getState('email:active')).to.equal('value of email:active');
    expect(await store.getState('slack:recent')).to.equal('value of slack:recent');

    const cut = at(6 * DAY).toISOString();
    expect(logged().map(({ msg, purged, before }) => ({ msg, purged, before }))).to.deep.equal([
      { msg: 'retention: purged delivered events', purged: 1, before: cut },
      { msg: 'retention: purged idle thread state', purged: 1, before: cut },
    ]);
  });

  it('runs on its own every `everyMs`', async () => {
    const ids = await seed();
    start({ everyMs: 10 });
    await eventually(async () => {
      expect(await store.getState('slack:idle')).to.equal(null);
      expect(await store.getEvent(ids.oldDelivered)).to.equal(null);
    });
    expect(await store.getState('slack:recent')).to.equal('value of slack:recent');
  });

  it('still purges state when purging events fails', async () => {
    const ids = await seed();
    await start({ store: failing(store, 'purge') }).runOnce();

    expect(await store.getState('slack:idle')).to.equal(null);
    expect(await store.getEvent(ids.oldDelivered)).to.not.equal(null);
    expect(logged().map((l) => [l.level, l.msg])).to.deep.equal([
      [40, 'retention: purging delivered events failed; will try again'],
      [30, 'retention: purged idle thread state'],
    ]);
  });

  it('still purges events when purging state fails', async () => {
    const ids = await seed();
    await start({ store: failing(store, 'purgeState') }).runOnce();

    expect(await store.getEvent(ids.oldDelivered)).to.equal(null);
    expect(await store.getState('slack:idle')).to.equal('value of slack:idle');
    expect(logged().map((l) => [l.level, l.msg])).to.deep.equal([
      [30, 'retention: purged delivered events'],
      [40, 'retention: purging idle thread state failed; will try again'],
    ]);
  });

  it('logs nothing when there is nothing to purge', async () => {
    await stateAt(0, 'slack:recent');
    await start().runOnce();
    expect(await store.getState('slack:recent')).to.equal('value of slack:recent');
    expect(lines.lines).to.deep.equal([]);
  });

  it('shares a pass in flight instead of starting a second one', async () => {
    const r = start();
    const a = r.runOnce();
    expect(r.runOnce()).to.equal(a);
    await a;
    const b = r.runOnce();
    expect(b).to.not.equal(a);
    await b;
  });
});

/** The real store, except that `method` fails as an unreachable store would. */
function failing(store: Store, method: 'purge' | 'purgeState'): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === method) return () => Promise.reject(new StoreUnavailableError('disk gone'));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
