import { expect } from 'chai';
import { decideHealth } from '../../../src/health/health-decision.js';
import { HealthTracker } from '../../../src/health/health-tracker.js';
import type { DestinationHealthRecord } from '../../../src/store/health-records.js';
import type { DestinationBacklog } from '../../../src/store/store.js';

const T = Date.parse('2026-03-01T09:00:00Z');
const iso = (min: number): string => new Date(T + min * 60_000).toISOString();
const now = (min: number): Date => new Date(T + min * 60_000);
const TEN = 10 * 60_000;

function record(over: Partial<DestinationHealthRecord> = {}): DestinationHealthRecord {
  return { destination: 'hook', state: 'ok', episode: 0, announced: 'ok', failingSince: null, recoveredAt: null, lastSuccessAt: null, lastFailureAt: null, lastErrors: [], ...over };
}

function backlog(waiting: number, oldestMin: number | null): DestinationBacklog {
  return { destination: 'hook', counts: { pending: waiting, delivering: 0, delivered: 0, dead: 0 }, oldestOpenAt: oldestMin === null ? null : iso(oldestMin) };
}

describe('health/decideHealth', () => {
  it('failing: waiting since failing_after, no success since, an attempt failed since', () => {
    expect(decideHealth(record({ lastFailureAt: iso(9) }), backlog(3, 0), TEN, now(10))).to.deep.equal({ kind: 'failing', since: now(0) });
    expect(decideHealth(record({ lastFailureAt: iso(9) }), backlog(3, 0), TEN, now(9.9)), 'not yet').to.equal(null);
  });

  it('counts from the later of the last success and the oldest waiting delivery', () => {
    // Succeeded at 5 while the oldest (from 0) still waits: 10 minutes from 5.
    expect(decideHealth(record({ lastSuccessAt: iso(5), lastFailureAt: iso(14) }), backlog(3, 0), TEN, now(14))).to.equal(null);
    expect(decideHealth(record({ lastSuccessAt: iso(5), lastFailureAt: iso(14) }), backlog(3, 0), TEN, now(15))).to.deep.equal({ kind: 'failing', since: now(5) });
    // Idle for an hour after its last success, then one delivery failing for a minute: not failing.
    expect(decideHealth(record({ lastSuccessAt: iso(0), lastFailureAt: iso(61) }), backlog(1, 60), TEN, now(61))).to.equal(null);
  });

  it('not failing: nothing waits, or nothing failed since (deliveries only wait)', () => {
    expect(decideHealth(record({ lastFailureAt: iso(9) }), backlog(0, null), TEN, now(30))).to.equal(null);
    expect(decideHealth(record({ lastFailureAt: iso(9) }), undefined, TEN, now(30))).to.equal(null);
    expect(decideHealth(record({ lastSuccessAt: iso(2), lastFailureAt: iso(1) }), backlog(2, 0), TEN, now(30))).to.equal(null);
    expect(decideHealth(record(), backlog(2, 0), TEN, now(30))).to.equal(null);
  });

  it('recovered: a success after the episode began, and only that', () => {
    const f = record({ state: 'failing', announced: 'failing', episode: 1, failingSince: iso(0), lastFailureAt: iso(20) });
    expect(decideHealth(f, backlog(3, 0), TEN, now(30))).to.equal(null);
    expect(decideHealth({ ...f, lastSuccessAt: iso(0) }, backlog(3, 0), TEN, now(30)), 'the success it began after').to.equal(null);
    expect(decideHealth(f, backlog(0, null), TEN, now(30)), 'all dead, still down').to.equal(null);
    expect(decideHealth({ ...f, lastSuccessAt: iso(25) }, backlog(0, null), TEN, now(30))).to.deep.equal({ kind: 'recovered', at: now(25) });
  });

  it('no transition before the last one is announced', () => {
    expect(decideHealth(record({ state: 'failing', announced: 'ok', failingSince: iso(0), lastSuccessAt: iso(25) }), backlog(0, null), TEN, now(30))).to.equal(null);
    expect(decideHealth(record({ state: 'ok', announced: 'failing', lastFailureAt: iso(29) }), backlog(3, 0), TEN, now(30))).to.equal(null);
  });
});

describe('health/HealthTracker', () => {
  const at = (s: number): Date => new Date(T + s * 1000);
  const retry = (error: string) => ({ outcome: { kind: 'retry' as const, reason: 'server' as const, error }, next: 'retry' as const });

  it('keeps the latest success and failure until taken, and the last five errors across takes', () => {
    const successes: string[] = [];
    const t = new HealthTracker((d) => successes.push(d));
    for (let i = 0; i < 7; i++) t.settled({ destination: 'a' }, retry(`e${i}`), at(i));
    t.settled({ destination: 'b' }, { outcome: { kind: 'success', statusCode: 200 }, next: 'delivered' }, at(3));
    t.settled({ destination: 'b' }, { outcome: { kind: 'success', statusCode: 200 }, next: 'delivered' }, at(1));
    t.settled({ destination: 'c' }, { outcome: { kind: 'deferred', reason: 'rate_limited', error: 'slow down', waitMs: 5 }, next: 'deferred' }, at(1));
    expect(successes).to.deep.equal(['b', 'b']);
    const taken = t.take();
    expect(taken.map((o) => o.destination)).to.deep.equal(['a', 'b']);
    expect(taken[0]).to.deep.include({ lastSuccessAt: null, lastFailureAt: at(6) });
    expect(taken[0]!.errors.map((e) => e.error)).to.deep.equal(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect(taken[1]).to.deep.include({ lastSuccessAt: at(3), lastFailureAt: null, errors: [] });
    expect(t.take()).to.deep.equal([]);
    t.settled({ destination: 'a' }, retry('e7'), at(7));
    expect(t.take()[0]!.errors.map((e) => e.error)).to.deep.equal(['e3', 'e4', 'e5', 'e6', 'e7']);
  });

  it('what could not be written comes back, merged with what was seen since', () => {
    const t = new HealthTracker();
    t.settled({ destination: 'a' }, retry('x'), at(5));
    const lost = t.take();
    t.settled({ destination: 'a' }, { outcome: { kind: 'success', statusCode: 200 }, next: 'delivered' }, at(2));
    t.giveBack(lost);
    expect(t.take()).to.deep.equal([{ destination: 'a', lastSuccessAt: at(2), lastFailureAt: at(5), errors: [{ at: at(5).toISOString(), error: 'x' }] }]);
  });
});
