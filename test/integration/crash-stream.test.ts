import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';

/**
 * Promise 1 under fire: the built relay takes a steady stream of events while it is killed with
 * SIGKILL mid-delivery several times and restarted on the same database. Every event answered 200
 * must reach the receiver; duplicates (at least once) must be few and carry the same webhook-id.
 */
describe('crash safety: SIGKILL under a steady stream', function () {
  this.timeout(90_000);
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

  it('delivers every acknowledged event at least once across 4 kills', async () => {
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, `version: 1\ndestinations:\n  sink:\n    http: { url: "${receiver.url}/in", body: original, timeout: 2s }\n    concurrency: 8\nroutes:\n  - name: all\n    to: sink\nretry: { schedule: [200ms, 500ms, 1s, 1s, 1s, 1s, 1s, 1s] }\n`);
    const env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_RULES: rules, RELAY_LEASE: '1s', RELAY_LOG_LEVEL: 'info' };
    const acked = new Set<string>();
    let seq = 0;
    const KILLS = 4;
    for (let round = 0; round <= KILLS; round++) {
      relay = await startChildRelay(env);
      const until = Date.now() + 700;
      const inflight: Promise<void>[] = [];
      while (Date.now() < until) {
        const conf = `crash-${seq++}`;
        inflight.push(
          fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify({ type: 'roomdrop', trans_date: 1732700512, app_id: 'a', room_id: 'r', conf_num: conf }) })
            .then(async (res) => {
              if (res.status === 200) acked.add(conf);
              await res.arrayBuffer();
            })
            // Killed mid-request: no answer, so not counted as acknowledged.
            .catch(() => undefined),
        );
        await new Promise((r) => setTimeout(r, 5));
      }
      if (round < KILLS) {
        // Kill while requests and deliveries are in flight; answers not received are not counted.
        await relay.kill('SIGKILL');
        await Promise.allSettled(inflight);
      } else {
        await Promise.allSettled(inflight);
      }
    }
    await eventually(() => {
      const got = new Set(receiver.requests.map((r) => JSON.parse(r.body.toString()).conf_num as string));
      const missing = [...acked].filter((c) => !got.has(c));
      expect(missing, `missing ${missing.length} of ${acked.size}`).to.have.length(0);
    }, 30_000, 100);

    const byConf = new Map<string, Set<string>>();
    for (const r of receiver.requests) {
      const conf = JSON.parse(r.body.toString()).conf_num as string;
      if (!byConf.has(conf)) byConf.set(conf, new Set());
      byConf.get(conf)!.add(String(r.headers['webhook-id']));
    }
    const duplicates = receiver.requests.length - byConf.size;
    console.log(`      sent ${seq}, answered 200: ${acked.size}, not answered (killed or refused): ${seq - acked.size}, received: ${receiver.requests.length}, distinct: ${byConf.size}, duplicates: ${duplicates}`);
    expect(acked.size).to.be.greaterThan(100);
    // A redelivery carries the same webhook-id, so the receiver can drop it.
    for (const ids of byConf.values()) expect(ids.size).to.equal(1);
    // Duplicates come only from deliveries in flight at a kill: a few per kill at most (concurrency 8).
    expect(duplicates).to.be.at.most(KILLS * 8);
  });
});
