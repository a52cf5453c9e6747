import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { pgSchema, type PgSchema } from '../support/pg-schema.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';

/**
 * DESIGN.md: several relays on one PostgreSQL behind a load balancer claim with SKIP LOCKED and
 * never deliver one delivery twice in normal operation. Two built relays share a schema; EnableX's
 * events arrive at either; the receiver must see each exactly once, and a body that reaches both
 * replicas at once is one event.
 */
describe('two relay replicas on one PostgreSQL', function () {
  this.timeout(60_000);
  let db: PgSchema;
  let receiver: ScriptedReceiver;
  let tmp: ReturnType<typeof tempDir>;
  const relays: ChildRelay[] = [];

  before(async () => {
    db = pgSchema();
    receiver = await startScriptedReceiver();
    receiver.setDefault({ status: 200, delayMs: 5 });
    tmp = tempDir();
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, `version: 1\ndestinations:\n  sink:\n    http: { url: "${receiver.url}/in", body: original }\n    concurrency: 4\nroutes:\n  - name: all\n    to: sink\n`);
    const env = { RELAY_DB: `${db.url}?schema=${db.schema}`, RELAY_RULES: rules };
    relays.push(await startChildRelay(env));
    relays.push(await startChildRelay(env));
  });
  after(async () => {
    for (const r of relays) await r.kill('SIGTERM');
    await receiver.close();
    await db.drop();
    tmp.cleanup();
  });

  it('delivers each event exactly once, whichever replica took it in', async () => {
    const N = 300;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${relays[i % 2]!.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify({ type: 'roomdrop', trans_date: 1732700512, app_id: 'a', room_id: 'r', conf_num: `rep-${i}` }) }).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 200)).to.equal(true);
    await eventually(() => expect(new Set(receiver.requests.map((r) => JSON.parse(r.body.toString()).conf_num)).size).to.equal(N), 30_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    console.log(`      ${N} events through 2 replicas: ${receiver.requests.length} requests, ${new Set(ids).size} distinct webhook-ids`);
    expect(receiver.requests).to.have.length(N);
    expect(new Set(ids).size).to.equal(N);
    // Both replicas' workers took part, woken by each other's NOTIFY or their own ingests.
    const delivered = relays.map((r) => r.output.filter((l) => l.includes('"msg":"delivered"')).length);
    expect(delivered[0]! + delivered[1]!).to.equal(N);
    expect(Math.min(...delivered)).to.be.greaterThan(0);
  });

  it('keeps one event when the same body reaches both replicas at once', async () => {
    const before = receiver.requests.length;
    const body = JSON.stringify({ type: 'roomdrop', trans_date: 1732700999, app_id: 'a', room_id: 'r', conf_num: 'both-at-once' });
    const [a, b] = await Promise.all(relays.map((r) => fetch(`${r.url}/webhooks/enablex`, { method: 'POST', body }).then((res) => res.json() as Promise<{ id: string; duplicate: boolean }>)));
    expect(a!.id).to.equal(b!.id);
    expect([a!.duplicate, b!.duplicate].sort()).to.deep.equal([false, true]);
    await eventually(() => expect(receiver.requests.length).to.equal(before + 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests.length).to.equal(before + 1);
  });
});
