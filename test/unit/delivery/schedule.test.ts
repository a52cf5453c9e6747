import { expect } from 'chai';
import { nextAttempt } from '../../../src/delivery/schedule.js';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const S = 1000;
const SCHEDULE = [5 * S, 30 * S, 120 * S, 600 * S];
const delayOf = (d: Date | null): number | null => (d === null ? null : d.getTime() - NOW.getTime());
const fixed = (r: number) => () => r;

describe('retry schedule', () => {
  it('follows the schedule step for the attempt count (random 0.5 = no jitter)', () => {
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 1, now: NOW, random: fixed(0.5) }))).to.equal(5 * S);
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 2, now: NOW, random: fixed(0.5) }))).to.equal(30 * S);
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 4, now: NOW, random: fixed(0.5) }))).to.equal(600 * S);
  });

  it('jitters by at most ±20%', () => {
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 2, now: NOW, random: fixed(0) }))).to.equal(24 * S);
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 2, now: NOW, random: fixed(0.999999) }))).to.be.closeTo(36 * S, 1);
    for (let i = 0; i < 200; i++) {
      const d = delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 3, now: NOW }))!;
      expect(d).to.be.within(96 * S, 144 * S);
    }
  });

  it('past the last step the delivery is dead (null)', () => {
    expect(nextAttempt({ scheduleMs: SCHEDULE, attempts: 5, now: NOW })).to.equal(null);
    expect(nextAttempt({ scheduleMs: SCHEDULE, attempts: 50, now: NOW })).to.equal(null);
    expect(nextAttempt({ scheduleMs: [], attempts: 1, now: NOW })).to.equal(null);
  });

  it('treats a 0 attempt count as the first attempt rather than killing the delivery', () => {
    expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 0, now: NOW, random: fixed(0.5) }))).to.equal(5 * S);
  });

  describe('with Retry-After', () => {
    it('pushes the next attempt later', () => {
      expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 1, now: NOW, retryAfterMs: 60 * S, random: fixed(0.5) }))).to.equal(60 * S);
    });

    it('never earlier than the schedule', () => {
      expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 2, now: NOW, retryAfterMs: 1 * S, random: fixed(0.5) }))).to.equal(30 * S);
      expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 2, now: NOW, retryAfterMs: 0, random: fixed(0) }))).to.equal(24 * S);
    });

    it('capped at the schedule\'s last step', () => {
      expect(delayOf(nextAttempt({ scheduleMs: SCHEDULE, attempts: 1, now: NOW, retryAfterMs: 7 * 86400 * S, random: fixed(0.5) }))).to.equal(600 * S);
    });

    it('does not revive a delivery past the last step', () => {
      expect(nextAttempt({ scheduleMs: SCHEDULE, attempts: 5, now: NOW, retryAfterMs: 10 * S })).to.equal(null);
    });
  });
});
