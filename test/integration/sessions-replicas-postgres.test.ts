import { expect } from 'chai';
import type { ChildRelay } from '../support/child-relay.js';
import { twoReplicas } from '../support/pg-replicas.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 11: two built relays on one PostgreSQL schema, both watchdogs looking every 100 ms. A
 * session whose recording does not come within its expectation's `within` is announced once
 * (relay.session.overdue, routed to the receiver like any event), and once more when the
 * recording comes late (relay.session.recovered), whichever replica took the events in.
 */
describe('session expectations on two relay replicas on one PostgreSQL', function () {
  this.timeout(60_000);
  const replicas = twoReplicas({
    reply: { status: 200 },
    rules: (url) =>
      `version: 1
destinations:
  sink:
    http: { url: "${url}/in", body: original }
routes:
  - name: all
    to: sink
sessions:
  expect:
    - name: recording after the session ends
      after: roomdrop
      then: recording
      within: 1s
`,
    env: { RELAY_WATCH_INTERVAL: '100ms' },
  });
  const { relays } = replicas;
  const typesReceived = (): string[] => replicas.receiver.requests.map((r) => String((JSON.parse(r.body.toString()) as { type: string }).type));
  const count = (type: string): number => typesReceived().filter((t) => t === type).length;

  it('announces an overdue session exactly once, and its recovery exactly once', async () => {
    const post = (relay: ChildRelay, body: Record<string, unknown>): Promise<number> =>
      fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify({ trans_date: Math.floor(Date.now() / 1000), app_id: 'a', room_id: 'r', conf_num: 'c1', ...body }) }).then((r) => r.status);
    expect(await post(relays[0]!, { type: 'roomdrop' })).to.equal(200);
    await eventually(() => expect(count('relay.session.overdue')).to.equal(1), 20_000, 50);
    // Both watchdogs keep looking: still one, several intervals later.
    await new Promise((r) => setTimeout(r, 1000));
    expect(count('relay.session.overdue')).to.equal(1);
    const overdue = JSON.parse(replicas.receiver.requests.find((r) => r.body.toString().includes('relay.session.overdue'))!.body.toString()) as Record<string, unknown>;
    expect(overdue).to.include({ app_id: 'a', room_id: 'r', conf_num: 'c1', session_key: 'a~r~c1', expectation: 'recording after the session ends', then: 'recording', within: '1s' });

    expect(await post(relays[1]!, { type: 'recording', recording: 'https://p.example/a.mp4' })).to.equal(200);
    await eventually(() => expect(count('relay.session.recovered')).to.equal(1), 20_000, 50);
    await new Promise((r) => setTimeout(r, 1000));
    expect(count('relay.session.recovered')).to.equal(1);
    expect(count('relay.session.overdue')).to.equal(1);
    const stored = await replicas.db.sql<{ type: string; n: string }>("SELECT type, count(*) AS n FROM events WHERE type LIKE 'relay.session.%' GROUP BY type ORDER BY type");
    expect(stored.map((r) => [r.type, Number(r.n)])).to.deep.equal([
      ['relay.session.overdue', 1],
      ['relay.session.recovered', 1],
    ]);
    // Who announced it: one replica's log line says published, any other's says duplicate.
    const lines = relays.flatMap((r) => r.output.filter((l) => l.includes('session overdue: announced')));
    expect(lines.filter((l) => l.includes('"duplicate":false'))).to.have.length(1);
  });
});
