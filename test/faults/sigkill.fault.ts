import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { EventStream } from '../support/event-stream.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import type { StreamStore } from '../support/stream-store.js';
import { expectSound, settle, sinkRules } from '../support/stream-verdict.js';
import { tempDir } from '../support/temp-dir.js';
import { ENGINES } from './support/engines.js';
import { recordRow } from './support/fault-table.js';

const KILLS = 10;
const PER_ROUND = 40;
/** Each round's relay is killed right after this many 200s, while the stream goes on. */
const KILL_AFTER_ACKS = 20;

/**
 * The built relay (dist/main.js) killed with SIGKILL 10 times under a steady stream of distinct
 * events, restarted on the same store each time. Every event answered 200 reaches the receiver,
 * eventually, after the last restart; every other one is delivered or absent, never half there.
 */
for (const engine of ENGINES) {
  describe(`fault: SIGKILL x${KILLS} under a stream (${engine.name})`, function () {
    this.timeout(240_000);
    let receiver: ScriptedReceiver;
    let tmp: ReturnType<typeof tempDir>;
    let store: StreamStore;
    let relay: ChildRelay | null = null;

    before(async () => {
      receiver = await startScriptedReceiver();
      // A receiver that takes a while: deliveries are in flight when the kills land.
      receiver.setDefault({ status: 200, delayMs: 20 });
      tmp = tempDir('enx-faults-');
      store = engine.open(tmp.dir);
    });
    after(async () => {
      await relay?.kill('SIGKILL');
      await receiver.close();
      await store.close();
      tmp.cleanup();
    });

    it('loses no acked event, and writes none half', async () => {
      const started = Date.now();
      const rules = join(tmp.dir, 'rules.yaml');
      writeFileSync(rules, sinkRules(receiver.url));
      const env = { RELAY_DB: store.db, RELAY_RULES: rules, RELAY_LEASE: '1s', RELAY_LOG_LEVEL: 'info' };
      const prefix = `kill-${engine.name}`;
      const stream = new EventStream(prefix);
      for (let round = 0; round <= KILLS; round++) {
        const r = (relay = await startChildRelay(env));
        let killing: Promise<unknown> | null = null;
        await stream.run(() => r.url, {
          count: round < KILLS ? PER_ROUND : KILL_AFTER_ACKS,
          everyMs: 5,
          onAck: (n) => void (round < KILLS && n === KILL_AFTER_ACKS && (killing = r.kill('SIGKILL'))),
          stop: () => killing !== null,
        });
        if (round < KILLS) await (killing ?? r.kill('SIGKILL'));
      }
      const v = await settle(stream, receiver.requests, store, prefix, 60_000);
      recordRow('SIGKILL x10', engine.name, stream, v, started, `${KILLS} kills, each after ${KILL_AFTER_ACKS} acks of a round`);
      expect(v.acked, 'every round got its acks before the kill').to.be.at.least((KILLS + 1) * KILL_AFTER_ACKS);
      expect([...stream.tally.keys()].sort(), 'answers: 200, or none (killed)').to.include.members(['200']).and.satisfy((ks: string[]) => ks.every((k) => k === '200' || k === 'no answer'));
      expectSound(v);
    });
  });
}
