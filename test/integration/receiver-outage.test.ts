import { expect } from 'chai';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { eventually } from '../support/eventually.js';

/** A receiver that is down for a while, then back, gets everything: in seconds, on a short schedule. */
describe('delivery: a receiver down for a while, then back', function () {
  this.timeout(30_000);
  let t: TestRelay;
  let receiver: ScriptedReceiver;

  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it('gets every event once it is back, each with its webhook-id, after retries on the schedule', async () => {
    receiver = await startScriptedReceiver();
    const { port, url } = receiver;
    t = await startTestRelay({
      rules: `version: 1
destinations:
  sink:
    http: { url: "${url}/hooks", body: original, timeout: 2s }
routes:
  - name: all
    to: sink
retry: { schedule: [100ms, 200ms, 300ms, 400ms, 500ms, 500ms, 500ms, 500ms, 500ms, 500ms] }
`,
    });
    await receiver.close(); // down: connection refused
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await t.post(JSON.stringify({ type: 'roomdrop', trans_date: 1732700512 + i, app_id: 'a', room_id: 'r', conf_num: `outage-${i}` }));
      expect(res.status).to.equal(200);
      ids.push(res.body.id);
    }
    // Every delivery has failed at least once while the receiver was down.
    await eventually(async () => {
      for (const id of ids) {
        const [d] = await t.relay.store.listDeliveries(id);
        expect(d!.attempts).to.be.at.least(2);
        expect(d!.lastError).to.match(/refused|ECONNREFUSED|network/i);
      }
    }, 10_000);
    receiver = await startScriptedReceiver({ port }); // back, on the same address
    await eventually(async () => expect((await t.relay.store.stats()).delivered).to.equal(20), 15_000);
    const seen = new Set(receiver.requests.map((r) => JSON.parse(r.body.toString()).conf_num));
    expect(seen.size).to.equal(20);
    for (const r of receiver.requests) expect(r.headers['webhook-id']).to.match(/^[0-9a-f-]{36}$/);
    const [d] = await t.relay.store.listDeliveries(ids[0]!);
    const attempts = await t.relay.store.listAttempts(d!.id);
    expect(attempts.at(-1)!.outcome).to.equal('success');
    expect(attempts.slice(0, -1).every((a) => a.outcome === 'retry')).to.equal(true);
  });
});
