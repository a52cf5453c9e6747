import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startChildRelay } from '../support/child-relay.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/enablex/${name}`, import.meta.url));

describe('promise 1: an event answered 200 survives kill -9', function () {
  this.timeout(60_000);
  let receiver: ScriptedReceiver;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    receiver = await startScriptedReceiver();
    tmp = tempDir();
  });
  afterEach(async () => {
    await receiver.close();
    tmp.cleanup();
  });

  it('delivers after the process is killed right after the 200 and restarted on the same database', async () => {
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, `version: 1\ndestinations:\n  sink:\n    http: { url: "${receiver.url}/hook", body: original, timeout: 2s }\nroutes:\n  - name: all\n    to: sink\nretry: { schedule: [200ms, 200ms, 200ms] }\n`);
    const env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_RULES: rules, RELAY_LEASE: '1s', RELAY_LOG_LEVEL: 'info' };
    // The receiver hangs on the first delivery: the relay is killed while it is in flight.
    receiver.script(['hang']);
    const first = await startChildRelay(env);
    const raw = fixture('recording.json');
    const res = await fetch(`${first.url}/webhooks/enablex`, { method: 'POST', body: raw });
    expect(res.status).to.equal(200);
    const { id } = (await res.json()) as { id: string };
    await eventually(() => expect(receiver.requests).to.have.length(1));
    await first.kill('SIGKILL');

    const second = await startChildRelay(env);
    try {
      await eventually(() => expect(receiver.requests).to.have.length(2), 15_000);
      const [a, b] = receiver.requests;
      expect(Buffer.compare(b!.body, raw)).to.equal(0, 'the original bytes arrive');
      expect(b!.headers['webhook-id']).to.equal(a!.headers['webhook-id'], 'same webhook-id on the retry');
      // It is recorded as delivered in the store of the restarted relay.
      const events = await fetch(`${second.url}/readyz`);
      expect(events.status).to.equal(200);
      expect(id).to.be.a('string');
      // A graceful stop on SIGTERM exits 0 and says so.
      expect(await second.kill('SIGTERM')).to.equal(0);
      expect(second.output.join('\n')).to.match(/"msg":"stopped"/);
    } finally {
      await second.kill('SIGTERM');
    }
  });
});
