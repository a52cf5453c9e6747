import { expect } from 'chai';
import { Alarm } from '../../../src/domain/alarm.js';

describe('Alarm: a loop sleep others can wake', () => {
  it('wake() ends the sleep in progress (an hour-long sleep returns)', async () => {
    const alarm = new Alarm();
    const slept = alarm.sleep(3600_000);
    alarm.wake();
    await slept;
  });

  it('a wake() between two sleeps makes the next one return at once, until clear()', async () => {
    const alarm = new Alarm();
    alarm.wake();
    await alarm.sleep(3600_000);
    alarm.clear();
    let done = false;
    const slept = alarm.sleep(3600_000).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done, 'cleared: it sleeps').to.equal(false);
    alarm.wake();
    await slept;
  });

  it('returns at once when the loop is over', async () => {
    await new Alarm().sleep(3600_000, () => true);
  });

  it('repeat: a pass per wake (or interval) until over; a pass that throws is reported and the loop goes on', async () => {
    const alarm = new Alarm();
    let passes = 0;
    let stop = false;
    const errors: unknown[] = [];
    const loop = alarm.repeat(
      3600_000,
      () => stop,
      async () => {
        passes++;
        if (passes === 2) throw new Error('boom');
      },
      (err) => errors.push(err),
    );
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      alarm.wake();
    }
    await new Promise((r) => setImmediate(r));
    stop = true;
    alarm.wake();
    await loop;
    expect(passes).to.be.at.least(3);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['boom']);
  });
});
