import { expect } from 'chai';
import { eventually } from '../support/eventually.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';

/** The series of a metric in the Prometheus text: labels -> value. */
function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) out.set(m[1] ?? '', Number(m[2]));
  return out;
}

describe('metrics: what operators ask for, with bounded labels', function () {
  this.timeout(30_000);
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({ rules: 'version: 1\ndestinations:\n  console:\n    log: {}\n  quiet:\n    log: {}\nroutes:\n  - name: drops\n    when: { type: roomdrop }\n    to: quiet\nfallback: console\n' });
  });
  after(() => t?.stop());
  const scrape = async (): Promise<string> => (await fetch(`${t.url}/metrics`)).text();

  it('counts events by type (the four documented ones and other, whatever types arrive), times the intake, and times receipt to delivery per destination', async () => {
    let n = 0;
    const post = async (type: string): Promise<void> => {
      const res = await t.post(JSON.stringify({ type, trans_date: 1732700000 + ++n, app_id: 'a', room_id: 'r', conf_num: String(n), recording: ['https://f/1.mp4'] }));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    };
    for (const type of ['roomdrop', 'roomdrop', 'recording', 'transcoded']) await post(type);
    // Hostile types: each distinct, some shaped like label syntax. They all land in `other`.
    for (let i = 0; i < 40; i++) await post(`x-${i}-${'"}\\\n'.repeat(i % 3)}`);
    const body = JSON.stringify({ type: 'roomdrop', trans_date: 1, app_id: 'a', room_id: 'r', conf_num: 'dup' });
    await t.post(body);
    await t.post(body);
    await eventually(async () => expect((await t.relay.store.stats()).pending).to.equal(0), 10_000);

    const text = await scrape();
    expect(Object.fromEntries(series(text, 'enx_relay_events_by_type_total'))).to.deep.equal({
      '{type="roomdrop"}': 3,
      '{type="recording"}': 1,
      '{type="transcoded"}': 1,
      '{type="other"}': 40,
    });
    const intake = series(text, 'enx_relay_intake_seconds_count');
    expect(intake.get('{result="accepted"}')).to.equal(45);
    expect(intake.get('{result="duplicate"}')).to.equal(1);
    expect(series(text, 'enx_relay_intake_seconds_bucket').get('{le="+Inf",result="accepted"}')).to.equal(45);

    const latency = series(text, 'enx_relay_delivery_latency_seconds_count');
    expect(Object.fromEntries(latency)).to.deep.equal({ '{destination="console"}': 42, '{destination="quiet"}': 3 });
    const sum = series(text, 'enx_relay_delivery_latency_seconds_sum').get('{destination="quiet"}')!;
    expect(sum).to.be.greaterThan(0);
    // Every label value in the relay's own series comes from a fixed set or the rules.
    const labels = new Set([...text.matchAll(/^enx_relay_(?!nodejs|process)\w+\{([^}]*)\}/gm)].flatMap((m) => m[1]!.split(',')));
    expect([...labels].filter((l) => /x-\d/.test(l))).to.deep.equal([]);
  });
});
