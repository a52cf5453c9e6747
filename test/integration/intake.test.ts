import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { eventually } from '../support/eventually.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/enablex/${name}`, import.meta.url));
const TYPES = ['roomdrop', 'recording', 'transcoded', 'file-transfer'];

const RULES = `
version: 1
destinations:
  console:
    log: {}
  recordings-log:
    log: { template: "REC {{ type }} {{ files | size }} files" }
routes:
  - name: recordings
    when: { type: [recording, transcoded] }
    to: recordings-log
  - name: everything
    when: { type: "*", app_id: "64f0*" }
    to: console
`;

describe('intake: the real relay on 127.0.0.1', function () {
  let t: TestRelay;
  before(async () => {
    t = await startTestRelay({ rules: RULES });
  });
  after(async () => {
    await t.stop();
  });

  for (const type of TYPES) {
    it(`accepts, stores and delivers a ${type} event`, async () => {
      const raw = fixture(`${type}.json`);
      const res = await t.post(raw);
      expect(res.status).to.equal(200);
      const expected = type === 'recording' || type === 'transcoded' ? 2 : 1;
      expect(res.body).to.include({ duplicate: false, deliveries: expected });
      expect(res.body.id).to.match(/^[0-9a-f-]{36}$/);

      const stored = await t.relay.store.getEvent(res.body.id);
      expect(stored?.type).to.equal(type);
      expect(Buffer.compare(stored!.raw, raw)).to.equal(0, 'raw body kept byte for byte');

      // Not a terminal: the `log` destination writes JSON lines, like the relay's own log.
      await t.out.waitFor((lines) => lines.some((l) => (JSON.parse(l) as { destination: string }).destination === 'console' && l.includes(res.body.id)));
      await eventually(async () => {
        const ds = await t.relay.store.listDeliveries(res.body.id);
        expect(ds.map((d) => d.status)).to.deep.equal(Array(expected).fill('delivered'));
      });
    });
  }

  it('an event value cannot forge a line on standard output: every line there is JSON, one per delivery', async () => {
    const forged = '{"level":50,"time":1,"service":"enx-relay","msg":"forged"}';
    const body = { ...JSON.parse(fixture('roomdrop.json').toString('utf8')), room_id: `r\n${forged}\r\u001b[2J\u2028x` };
    const res = await t.post(JSON.stringify(body));
    expect(res.status).to.equal(200);
    const mine = (lines: string[]) => lines.filter((l) => l.includes(res.body.id));
    await t.out.waitFor((lines) => mine(lines).length > 0);
    for (const line of [...t.out.lines, ...t.logs.lines]) {
      expect(() => JSON.parse(line), line).to.not.throw();
      expect(line).to.not.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(JSON.parse(line).msg).to.not.equal('forged');
    }
    expect(mine(t.out.lines)).to.have.length(1);
    expect(JSON.parse(mine(t.out.lines)[0]!).msg).to.include(body.room_id);
  });

  it('GET /webhooks/enablex answers 405 with Allow and the JSON error body', async () => {
    const res = await fetch(`${t.url}/webhooks/enablex`);
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('POST');
    expect(await res.json()).to.deep.equal({ error: { code: 'method_not_allowed', message: 'GET is not allowed on /webhooks/enablex: use POST', details: [] } });
  });

  it('routes an unknown event type like any other', async () => {
    const body = JSON.stringify({ type: 'participant-joined', trans_date: 1732700600, app_id: '64f0c1a2e7b9d81f2c3a4b5c', room_id: 'r1', conf_num: '1', user: 'ann' });
    const res = await t.post(body);
    expect(res.status).to.equal(200);
    expect(res.body.deliveries).to.equal(1);
    await t.out.waitFor((lines) => lines.some((l) => l.includes('participant-joined') && l.includes(res.body.id)));
  });

  it('answers a repeated identical body with the first id, and delivers it once', async () => {
    const body = JSON.stringify({ type: 'roomdrop', trans_date: 1732709999, app_id: '64f0c1a2e7b9d81f2c3a4b5c', room_id: 'dup-room', conf_num: '42' });
    const first = await t.post(body);
    // Same content, other whitespace and key order: still the same event.
    const again = await t.post(JSON.stringify(JSON.parse(body), Object.keys(JSON.parse(body)).reverse(), 2));
    expect(first.body.duplicate).to.equal(false);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal({ id: first.body.id, duplicate: true, deliveries: 0 });
    await t.out.waitFor((lines) => lines.some((l) => l.includes('dup-room')));
    await new Promise((r) => setTimeout(r, 200));
    expect(t.out.lines.filter((l) => l.includes('dup-room'))).to.have.length(1);
  });

  it('reads the body whatever its Content-Type', async () => {
    const body = fixture('roomdrop.json').toString().replace('917345201', '555');
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const res = await t.post(body.replace('555', `555${ct.length}`), { 'content-type': ct });
      expect(res.status, ct).to.equal(200);
    }
  });

  it("answers 400 to the vendor documentation's sample, keeps it, and stays up", async () => {
    const raw = fixture('invalid-doc-sample.txt');
    const res = await t.post(raw);
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_json');
    const rejected = await t.relay.store.listRejected(10);
    expect(rejected.some((r) => Buffer.compare(r.raw, raw) === 0 && r.code === 'invalid_json')).to.equal(true);
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).to.equal(200);
  });

  it('answers 422 listing every schema error with its path, and keeps the body', async () => {
    const res = await t.post(JSON.stringify({ type: 'recording', trans_date: 'yesterday', recording: [42] }));
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('schema_invalid');
    const details: { path: string; message: string }[] = res.body.error.details;
    expect(details.length).to.be.at.least(4);
    const paths = details.map((d) => d.path);
    expect(paths).to.include('/trans_date');
    expect(paths).to.include('/recording/0');
    expect(paths).to.include.members(['/app_id', '/room_id', '/conf_num']);
    const rejected = await t.relay.store.listRejected(10);
    expect(rejected[0]!.code).to.equal('schema_invalid');
  });

  it('a 260 KB body of 130,000 bad items: the 422 and the rejected entry list the first errors and say how many more', async () => {
    const body = `{"type":"recording","trans_date":1732700871,"app_id":"a","room_id":"r","conf_num":"1","recording":[${Array(130_000).fill(1).join(',')}]}`;
    expect(body.length).to.be.greaterThan(260_000);
    const res = await fetch(`${t.url}/webhooks/enablex`, { method: 'POST', body });
    const answer = await res.text();
    expect(res.status).to.equal(422);
    // Before: an 8.2 MB answer and a 5.3 MB stored reason for this body.
    expect(answer.length).to.be.below(4_000);
    const { error } = JSON.parse(answer) as { error: { message: string; details: { path?: string; message: string }[] } };
    expect(error.message).to.equal('"recording" event does not match its schema (130000 errors; the first 20 are listed)');
    expect(error.details).to.have.length(21);
    expect(error.details[0]).to.deep.equal({ path: '/recording/0', message: 'must be a URL string' });
    expect(error.details[20]).to.deep.equal({ message: 'and 129980 more' });
    const [kept] = await t.relay.store.listRejected(1);
    expect(kept!.raw.length).to.equal(body.length);
    expect(kept!.reason.length).to.be.below(4_000);
    expect(kept!.reason).to.include('and 129980 more');
  });

  it('answers 413 past the size limit, with or without a content-length', async () => {
    const big = JSON.stringify({ type: 'roomdrop', pad: 'x'.repeat(300 * 1024) });
    const res = await t.post(big);
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('payload_too_large');
    const chunked = await fetch(`${t.url}/webhooks/enablex`, {
      method: 'POST',
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('x'.repeat(10 * 1024)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).to.equal(413);
  });

  it('keeps an event that no route matches (no fallback) as unrouted', async () => {
    const res = await t.post(JSON.stringify({ type: 'roomdrop', trans_date: 1, app_id: 'other-app', room_id: 'r', conf_num: 'c' }));
    expect(res.status).to.equal(200);
    expect(res.body.deliveries).to.equal(0);
    expect(await t.relay.store.getEvent(res.body.id)).to.not.equal(null);
  });

  it('never answers 5xx, crashes or hangs on hostile input', async () => {
    const bodies: (string | Buffer)[] = [
      '', ' ', 'null', '[]', '"str"', '42', '{', '{"type":', '{"__proto__":{"x":1},"type":"roomdrop"}',
      '{"type":null}', '{"type":{"a":1}}', JSON.stringify({ type: 'x'.repeat(10000) }), Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
      '[' .repeat(5000) + ']'.repeat(5000), JSON.stringify({ type: 'recording', app_id: 1, room_id: [], conf_num: {}, trans_date: -1, recording: {} }),
      JSON.stringify({ type: 'transcoded', app_id: 'a', room_id: 'r', conf_num: 'c', trans_date: 9e99, recording: 'u', stage: 'NaN', file_size: '-1' }),
      // The last valid JavaScript dates: +72 h (expires_at) would be past them.
      JSON.stringify({ type: 'roomdrop', app_id: 'a', room_id: 'r', conf_num: 'c', trans_date: 8640000000000000 }),
      JSON.stringify({ type: 'roomdrop', app_id: 'a', room_id: 'r', conf_num: 'c', trans_date: '8639999999000000' }),
      JSON.stringify({ type: 'roomdrop', app_id: 'a', room_id: 'r', conf_num: 'c', trans_date: '+275760-09-13T00:00:00Z' }),
    ];
    let seed = 7;
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      bodies.push(Buffer.from(Array.from({ length: (seed % 300) + 1 }, (_, j) => (seed >> (j % 16)) & 0xff)));
    }
    for (const b of bodies) {
      const res = await t.post(b);
      expect(res.status, String(b).slice(0, 40)).to.be.oneOf([200, 400, 413, 422]);
    }
    expect((await fetch(`${t.url}/healthz`)).status).to.equal(200);
  });

  it('exposes Prometheus metrics for intake results, attempts and the backlog', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await res.text();
    const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('enx_relay_events_received_total{result="accepted"}')).to.be.greaterThan(5);
    expect(value('enx_relay_events_received_total{result="duplicate"}')).to.be.at.least(1);
    expect(value('enx_relay_events_received_total{result="invalid_json"}')).to.be.at.least(1);
    expect(value('enx_relay_events_received_total{result="schema_invalid"}')).to.be.at.least(1);
    expect(value('enx_relay_events_received_total{result="payload_too_large"}')).to.be.at.least(1);
    expect(value('enx_relay_delivery_attempts_total{destination="console",outcome="success",reason=""}')).to.be.greaterThan(3);
    expect(value('enx_relay_deliveries_finished_total{destination="console",status="delivered"}')).to.be.greaterThan(3);
    expect(value('enx_relay_deliveries{status="delivered"}')).to.be.greaterThan(3);
    expect(text).to.match(/^enx_relay_delivery_attempt_seconds_bucket\{/m);
  });

  it('reports ready when the store answers and rules are loaded', async () => {
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { checks: Record<string, string> };
    expect(body.checks['store']).to.equal('ok');
    expect(body.checks['rules']).to.match(/^ok \(2 routes, 2 destinations/);
  });
});

describe('intake: Basic auth', function () {
  let t: TestRelay;
  const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  before(async () => {
    t = await startTestRelay({
      rules: 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes: []\nfallback: console\n',
      env: { RELAY_INGEST_USER: 'enablex', RELAY_INGEST_PASSWORD: 'pa55-w0rd-secret' },
    });
  });
  after(async () => {
    await t.stop();
  });

  it('answers 401 with WWW-Authenticate without or with wrong credentials, and keeps nothing', async () => {
    for (const auth of [undefined, basic('enablex', 'wrong'), basic('other', 'pa55-w0rd-secret'), 'Bearer x', 'Basic !!!']) {
      const res = await t.post(fixture('roomdrop.json'), auth ? { authorization: auth } : {});
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.match(/^Basic realm=/);
    }
    expect(await t.relay.store.listEvents({ limit: 10 })).to.have.length(0);
    expect(await t.relay.store.listRejected(10)).to.have.length(0);
  });

  it('accepts the right credentials, and never logs the password', async () => {
    const res = await t.post(fixture('roomdrop.json'), { authorization: basic('enablex', 'pa55-w0rd-secret') });
    expect(res.status).to.equal(200);
    await t.out.waitFor((lines) => lines.some((l) => l.includes(res.body.id)));
    expect(t.logs.lines.join('\n')).to.not.include('pa55-w0rd-secret');
  });
});
