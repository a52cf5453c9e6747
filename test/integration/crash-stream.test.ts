import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { EventStream } from '../support/event-stream.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { sqliteStreamStore } from '../support/stream-store.js';
import { expectSound, settle, sinkRules } from '../support/stream-verdict.js';
import { tempDir } from '../support/temp-dir.js';

const KILLS = 4;
/** Events per round, and the 200 after which that round's relay is killed (the rest are in flight or never sent). */
const PER_ROUND = 40;
const KILL_AFTER_ACKS = 20;

/**
 * Promise 1 under fire: the built relay takes a steady stream of events while it is killed with
 * SIGKILL mid-stream several times and restarted on the same database. Counted in events, not in
 * time: whatever the machine's speed, every event answered 200 reaches the receiver, and every
 * other one is either delivered or absent, never stored without its delivery.
 */
describe('crash safety: SIGKILL under a steady stream', function () {
  this.timeout(120_000);
  let receiver: ScriptedReceiver;
  let tmp: ReturnType<typeof tempDir>;
  let relay: ChildRelay | null = null;

  before(async () => {
    receiver = await startScriptedReceiver();
    // A slowish receiver: deliveries are in flight when the kills land.
    receiver.setDefault({ status: 200, delayMs: 30 });
    tmp = tempDir();
  });
  after(async () => {
    await relay?.kill('SIGKILL');
    await receiver.close();
    tmp.cleanup();
  });

  it(`delivers every acknowledged event at least once across ${KILLS} kills`, async () => {
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, sinkRules(receiver.url));
    const store = sqliteStreamStore(tmp.dir);
    const env = { RELAY_DB: store.db, RELAY_RULES: rules, RELAY_LEASE: '1s', RELAY_LOG_LEVEL: 'info' };
    const stream = new EventStream('crash');
    for (let round = 0; round <= KILLS; round++) {
      const r = (relay = await startChildRelay(env));
      let killing: Promise<unknown> | null = null;
      await stream.run(() => r.url, {
        count: round < KILLS ? PER_ROUND : KILL_AFTER_ACKS,
        everyMs: 5,
        // Killed while the stream goes on: requests and deliveries are in flight.
        onAck: (n) => void (round < KILLS && n === KILL_AFTER_ACKS && (killing = r.kill('SIGKILL'))),
        stop: () => killing !== null,
      });
      if (round < KILLS) await (killing ?? r.kill('SIGKILL'));
    }
    const v = await settle(stream, receiver.requests, store, 'crash');
    console.log(`      sent ${v.sent}, acked ${v.acked}, delivered ${v.delivered} (unacked: ${v.unackedDelivered} delivered, ${v.unackedAbsent} absent), duplicates ${v.duplicates}`);
    expect(v.acked).to.be.at.least((KILLS + 1) * KILL_AFTER_ACKS);
    expectSound(v);
  });
});
