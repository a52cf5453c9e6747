import { expect } from 'chai';
import type { ChildRelay } from '../support/child-relay.js';
import { twoReplicas } from '../support/pg-replicas.js';
import { eventually } from '../support/eventually.js';

/**
 * DESIGN.md: several relays on one PostgreSQL behind a load balancer claim with SKIP LOCKED and
 * never deliver one delivery twice in normal operation. Two built relays share a schema; EnableX's
 * events arrive at either; the receiver must see each exactly once, and a body that reaches both
 * replicas at once is one event.
 */
describe('two relay replicas on one PostgreSQL', function () {
  this.timeout(60_000);
  const replicas = twoReplicas({
    reply: { status: 200, delayMs: 5 },
    rules: (url) => `version: 1\ndestinations:\n  sink:\n    http: { url: "${url}/in", body: original }\n    concurrency: 4\nroutes:\n  - name: all\n    to: sink\n`,
  });
  const { relays } = replicas;

  it('delivers each event exactly once, whichever replica took it in', async () => {
    const N = 300;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${relays[i % 2]!.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify({ type: 'roomdrop', trans_date: 1732700512, app_id: 'a', room_id: 'r', conf_num: `rep-${i}` }) }).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 200)).to.equal(true);
    await eventually(() => expect(new Set(replicas.receiver.requests.map((r) => JSON.parse(r.body.toString()).conf_num)).size).to.equal(N), 30_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const ids = replicas.receiver.requests.map((r) => String(r.headers['webhook-id']));
    console.log(`      ${N} events through 2 replicas: ${replicas.receiver.requests.length} requests, ${new Set(ids).size} distinct webhook-ids`);
    expect(replicas.receiver.requests).to.have.length(N);
    expect(new Set(ids).size).to.equal(N);
    // Both replicas' workers took part, woken by each other's NOTIFY or their own ingests.
    const delivered = relays.map((r) => r.output.filter((l) => l.includes('"msg":"delivered"')).length);
    expect(delivered[0]! + delivered[1]!).to.equal(N);
    expect(Math.min(...delivered)).to.be.greaterThan(0);
  });

  it('keeps one event when the same body reaches both replicas at once', async () => {
    const before = replicas.receiver.requests.length;
    const body = JSON.stringify({ type: 'roomdrop', trans_date: 1732700999, app_id: 'a', room_id: 'r', conf_num: 'both-at-once' });
    const [a, b] = await Promise.all(relays.map((r) => fetch(`${r.url}/webhooks/enablex`, { method: 'POST', body }).then((res) => res.json() as Promise<{ id: string; duplicate: boolean }>)));
    expect(a!.id).to.equal(b!.id);
    expect([a!.duplicate, b!.duplicate].sort()).to.deep.equal([false, true]);
    await eventually(() => expect(replicas.receiver.requests.length).to.equal(before + 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(replicas.receiver.requests.length).to.equal(before + 1);
  });
});
