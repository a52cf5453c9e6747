import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { eventually } from '../support/eventually.js';
import { adminClient, type AdminAnswer as Answer } from '../support/admin-client.js';

const ADMIN_TOKEN = 'admin-tok-7f3kQ2';
const INGEST_PASSWORD = 'ingest-pw-91xqW';
const SECRETS = {
  ADMIN_TOKEN,
  INGEST_PASSWORD,
  SLACK_BOT_TOKEN: 'xoxb-static-5521aa',
  SMTP_PASSWORD: 'smtp-pw-6650zz',
  // Substituted into the rules file from ${VAR}:
  SINK_TOKEN: 'sink-bearer-4471bb',
  TENANT_SECRET: 'tenant-secret-8812cc',
  OPS_SLACK_TOKEN: 'xoxb-rules-3390dd',
};
const BASIC = { authorization: `Basic ${Buffer.from(`enablex:${INGEST_PASSWORD}`).toString('base64')}` };

/** X-Tenant is not a header name destinations mask: only the admin API's own redaction hides it. */
const rulesFor = (receiverUrl: string, extra = ''): string => `version: 1
destinations:
  sink:
    http:
      url: "${receiverUrl}/hooks"
      headers: { Authorization: "Bearer \${SINK_TOKEN}", X-Tenant: "\${TENANT_SECRET}" }
      body: original
      timeout: 2s
  ops:
    slack: { channel: "#video-ops", token: "\${OPS_SLACK_TOKEN}" }
${extra}routes:
  - name: recordings to ops
    when: { type: recording }
    to: ops
    stop: true
  - name: all to sink
    to: sink
retry: { schedule: [100ms, 200ms] }
`;

let seq = 0;
const roomdrop = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'roomdrop', trans_date: 1732700512 + ++seq, app_id: 'app-admin', room_id: 'room-1', conf_num: `conf-${seq}`, ...extra });

describe('admin API', function () {
  this.timeout(30_000);

  describe('without RELAY_ADMIN_TOKEN', () => {
    let t: TestRelay;
    after(() => t?.stop());

    it('does not exist: /admin/* answers 404, whatever the credentials', async () => {
      t = await startTestRelay({ rules: 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes: []\n' });
      for (const [method, path] of [['GET', '/admin/events'], ['GET', '/admin/rules'], ['POST', '/admin/rules/reload'], ['POST', '/admin/replay']] as const) {
        const res = await fetch(`${t.url}${path}`, { method, headers: { authorization: 'Bearer anything' } });
        expect(res.status, `${method} ${path}`).to.equal(404);
        expect(((await res.json()) as any).error.code).to.equal('not_found');
      }
    });
  });

  describe('with RELAY_ADMIN_TOKEN', () => {
    let t: TestRelay;
    let receiver: ScriptedReceiver;

    before(async () => {
      receiver = await startScriptedReceiver();
      t = await startTestRelay({
        rules: rulesFor(receiver.url),
        env: {
          RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
          RELAY_INGEST_USER: 'enablex',
          RELAY_INGEST_PASSWORD: INGEST_PASSWORD,
          SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
          RELAY_SMTP_URL: `smtp://mailer:${SECRETS.SMTP_PASSWORD}@127.0.0.1:2525`,
          SINK_TOKEN: SECRETS.SINK_TOKEN,
          TENANT_SECRET: SECRETS.TENANT_SECRET,
          OPS_SLACK_TOKEN: SECRETS.OPS_SLACK_TOKEN,
        },
      });
    });
    after(async () => {
      await t?.stop();
      await receiver?.close();
    });

    /** An admin request; every answer is checked against the OpenAPI document and for secrets. */
    const client = adminClient(() => t.url, ADMIN_TOKEN, SECRETS);
    const admin = client.request;
    const answers = client.answers;

    async function ingest(body: string): Promise<string> {
      const res = await t.post(body, BASIC);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body.id as string;
    }

    const deliveryStatus = async (id: string): Promise<string[]> => (await t.relay.store.listDeliveries(id)).map((d) => d.status);

    describe('authentication', () => {
      it('answers 401 with a Bearer challenge without a token, with a wrong one, or with Basic credentials', async () => {
        const tries: [string, Record<string, string>][] = [
          ['no header', {}],
          ['wrong token', { authorization: 'Bearer not-the-token' }],
          ['token with a suffix', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
          ['token as Basic', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
        ];
        for (const [what, headers] of tries) {
          for (const path of ['/admin/events', '/admin/rules', '/admin/no-such-thing']) {
            const res = await admin('GET', path, { token: null, headers });
            expect(res.status, `${what} ${path}`).to.equal(401);
            expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="enx-relay-admin"');
            expect(res.body.error.code).to.equal('unauthorized');
          }
        }
        const refused = await admin('POST', '/admin/replay', { token: 'wrong', body: {} });
        expect(refused.status).to.equal(401);
      });

      it('answers the right token; an unknown admin path is then 404', async () => {
        expect((await admin('GET', '/admin/events')).status).to.equal(200);
        const res = await admin('GET', '/admin/no-such-thing');
        expect(res.status).to.equal(404);
        expect(res.body.error.code).to.equal('not_found');
      });
    });

    describe('events', () => {
      it('lists events with their deliveries, and shows one with every attempt', async () => {
        const raw = roomdrop({ note: 'kept as sent' });
        const id = await ingest(raw);
        await eventually(async () => expect(await deliveryStatus(id)).to.deep.equal(['delivered']), 10_000);

        const list = await admin('GET', '/admin/events?type=roomdrop&since=1h&limit=5');
        expect(list.status).to.equal(200);
        const summary = list.body.events.find((e: any) => e.id === id);
        expect(summary).to.include({ type: 'roomdrop', appId: 'app-admin', roomId: 'room-1' });
        expect(summary.deliveries.map((d: any) => [d.destination, d.status, d.route])).to.deep.equal([['sink', 'delivered', 'all to sink']]);
        expect((await admin('GET', '/admin/events?type=recording')).body.events.map((e: any) => e.id)).to.not.include(id);
        expect((await admin('GET', `/admin/events?since=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).body.events).to.deep.equal([]);

        const detail = await admin('GET', `/admin/events/${id}`);
        expect(detail.status).to.equal(200);
        expect(detail.body.event).to.include({ id, type: 'roomdrop', appId: 'app-admin', confNum: `conf-${seq}` });
        expect(detail.body.event.body).to.deep.equal(JSON.parse(raw));
        expect(detail.body.event).to.not.have.property('raw');
        const [delivery] = detail.body.deliveries;
        expect(delivery).to.include({ destination: 'sink', status: 'delivered', attempts: 1 });
        expect(delivery.attemptLog).to.have.length(1);
        expect(delivery.attemptLog[0]).to.include({ attempt: 1, outcome: 'success', statusCode: 200 });

        const withRaw = await admin('GET', `/admin/events/${id}?raw=1`);
        expect(Buffer.from(withRaw.body.event.raw, 'base64').toString('utf8')).to.equal(raw);
      });

      it('answers 404 for an unknown id and 400 naming the field for a bad filter', async () => {
        const missing = await admin('GET', '/admin/events/0190f0f0-0000-7000-8000-000000000000');
        expect(missing.status).to.equal(404);
        expect(missing.body.error.code).to.equal('not_found');
        for (const [query, field] of [['status=deadish', 'status'], ['since=yesterday', 'since'], ['limit=0', 'limit'], ['limit=ten', 'limit']]) {
          const res = await admin('GET', `/admin/events?${query}`);
          expect(res.status, query).to.equal(400);
          expect(res.body.error.code).to.equal('bad_request');
          expect(res.body.error.details.map((d: any) => d.path)).to.deep.equal([field]);
        }
        expect((await admin('GET', '/admin/events?status=deadish')).body.error.message).to.equal('status must be one of pending, delivering, delivered, dead');
      });
    });

    describe('dead letters and replay', () => {
      it('lists a delivery the receiver refused with 410, and replay delivers it once the receiver answers 200', async () => {
        receiver.setDefault({ status: 410, body: 'gone' });
        const id = await ingest(roomdrop());
        await eventually(async () => expect(await deliveryStatus(id)).to.deep.equal(['dead']), 10_000);

        const dead = await admin('GET', '/admin/dead-letters?destination=sink');
        expect(dead.status).to.equal(200);
        const letter = dead.body.deadLetters.find((d: any) => d.eventId === id);
        expect(letter).to.include({ destination: 'sink', route: 'all to sink', type: 'roomdrop', attempts: 1 });
        expect(letter.lastError).to.match(/410/);
        expect((await admin('GET', '/admin/dead-letters?destination=ops')).body.deadLetters).to.deep.equal([]);

        const dry = await admin('POST', '/admin/replay', { body: { eventId: id, dryRun: true } });
        expect(dry.body).to.deep.equal({ replayed: 1, dryRun: true });
        expect(await deliveryStatus(id)).to.deep.equal(['dead']);

        receiver.setDefault({ status: 200 });
        const before = receiver.requests.length;
        // The replayed delivery goes out now, not at the worker's next idle poll: replay wakes it.
        const worker = t.relay.worker!;
        let wakes = 0;
        const wake = worker.wake.bind(worker);
        worker.wake = () => void (wakes++, wake());
        let replay: Answer;
        try {
          replay = await admin('POST', '/admin/replay', { body: { status: 'dead', destination: 'sink', since: '1h' } });
        } finally {
          worker.wake = wake;
        }
        expect(replay.status).to.equal(200);
        expect(replay.body).to.deep.equal({ replayed: 1, dryRun: false });
        expect(wakes).to.equal(1);
        await eventually(async () => expect(await deliveryStatus(id)).to.deep.equal(['delivered']), 10_000);
        expect(receiver.requests.length).to.equal(before + 1);
        const detail = await admin('GET', `/admin/events/${id}`);
        expect(detail.body.deliveries[0].attemptLog.map((a: any) => a.outcome)).to.deep.equal(['permanent', 'success']);
        expect((await admin('GET', '/admin/dead-letters')).body.deadLetters.map((d: any) => d.eventId)).to.not.include(id);
      });

      it('refuses a replay request with an unknown status, an unknown field or a wrong type, naming each', async () => {
        const bad = await admin('POST', '/admin/replay', { body: { status: 'zombie' } });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.details).to.deep.equal([{ path: 'status', message: 'status must be one of pending, delivering, delivered, dead' }]);

        const typo = await admin('POST', '/admin/replay', { body: { eventID: 'x', dryRun: 'yes' } });
        expect(typo.status).to.equal(400);
        expect(typo.body.error.details.map((d: any) => d.path)).to.deep.equal(['eventID', 'dryRun']);

        const since = await admin('POST', '/admin/replay', { body: { since: 'last week' } });
        expect(since.body.error.details.map((d: any) => d.path)).to.deep.equal(['since']);
        expect((await admin('POST', '/admin/replay', { body: '{not json' })).status).to.equal(400);
        expect((await admin('POST', '/admin/replay', { body: '[1]' })).status).to.equal(400);
      });
    });

    describe('rules', () => {
      it('shows the rules in force: file, hash, destinations by name and kind without options, routes', async () => {
        const res = await admin('GET', '/admin/rules');
        expect(res.status).to.equal(200);
        expect(res.body).to.include({ file: join(t.dir, 'rules.yaml'), hash: t.relay.rules.current().hash, lastError: null });
        expect(res.body.hash).to.match(/^[0-9a-f]{64}$/);
        expect(Date.parse(res.body.loadedAt)).to.not.be.NaN;
        expect(res.body.destinations).to.deep.equal([
          { name: 'sink', kind: 'http' },
          { name: 'ops', kind: 'slack' },
        ]);
        expect(res.body.routes).to.deep.equal([
          { name: 'recordings to ops', when: { type: 'recording' }, to: ['ops'], stop: true },
          { name: 'all to sink', when: {}, to: ['sink'], stop: false },
        ]);
        expect(JSON.stringify(res.body)).to.not.match(/options|headers|token/i);
      });

      it('refuses a broken file with 422 and its positions, keeps routing by the old rules, then applies the fixed file', async () => {
        const rulesPath = join(t.dir, 'rules.yaml');
        const oldHash = t.relay.rules.current().hash;
        writeFileSync(rulesPath, rulesFor(receiver.url).replace('to: sink\n', 'to: [sink, nowhere]\n'));
        const refused = await admin('POST', '/admin/rules/reload');
        expect(refused.status).to.equal(422);
        expect(refused.body.error.code).to.equal('rules_invalid');
        expect(refused.body.error.details.length).to.be.at.least(1);
        for (const d of refused.body.error.details) expect(d.path).to.match(/rules\.yaml:\d+:\d+$/);
        expect(refused.body.error.details.map((d: any) => d.message).join('\n')).to.include('nowhere');

        const status = await admin('GET', '/admin/rules');
        expect(status.body.hash).to.equal(oldHash);
        expect(status.body.lastError.errors.length).to.be.at.least(1);
        const kept = await ingest(roomdrop());
        await eventually(async () => expect(await deliveryStatus(kept)).to.deep.equal(['delivered']), 10_000);

        const extra = `  second:\n    http: { url: "${receiver.url}/second", body: original, timeout: 2s }\n`;
        writeFileSync(rulesPath, rulesFor(receiver.url, extra).replace('to: sink\n', 'to: [sink, second]\n'));
        const applied = await admin('POST', '/admin/rules/reload');
        expect(applied.status).to.equal(200);
        expect(applied.body).to.include({ applied: true });
        expect(applied.body.hash).to.not.equal(oldHash);
        expect(applied.body.hash).to.equal(t.relay.rules.current().hash);
        expect((await admin('GET', '/admin/rules')).body.lastError).to.equal(null);

        const routed = await ingest(roomdrop());
        const deliveries = await t.relay.store.listDeliveries(routed);
        expect(deliveries.map((d) => d.destination)).to.deep.equal(['sink', 'second']);
        await eventually(() => expect(receiver.requests.some((r) => r.path === '/second' && JSON.parse(r.body.toString()).conf_num === `conf-${seq}`)).to.equal(true), 10_000);
      });
    });

    describe('route test', () => {
      it('shows the matched routes and each rendered message; nothing is sent or stored', async () => {
        const sentBefore = receiver.requests.length;
        const storedBefore = (await t.relay.store.listEvents({ limit: 500 })).length;
        const rejectedBefore = (await t.relay.store.listRejected(500)).length;

        const recording = await admin('POST', '/admin/route-test', {
          body: { type: 'recording', trans_date: '1732700600', app_id: 'app-admin', room_id: 'room-rt', conf_num: '42', recording: ['https://portal.enablex.io/r/1.mkv'] },
          headers: { 'content-type': 'text/plain' },
        });
        expect(recording.status).to.equal(200);
        expect(recording.body.event).to.include({ type: 'recording', roomId: 'room-rt' });
        expect(recording.body.matched).to.deep.equal([{ route: 'recordings to ops', destinations: ['ops'] }]);
        expect(recording.body.deliveries).to.have.length(1);
        const slack = recording.body.deliveries[0];
        expect(slack).to.include({ destination: 'ops', route: 'recordings to ops' });
        expect(slack.message.target).to.match(/^#video-ops/);
        expect(slack.message.payload.channel).to.equal('#video-ops');
        expect(slack.message.payload.text).to.include('room-rt');

        const drop = await admin('POST', '/admin/route-test', { body: roomdrop() });
        expect(drop.status).to.equal(200);
        expect(drop.body.deliveries.map((d: any) => d.destination)).to.include('sink');
        const http = drop.body.deliveries.find((d: any) => d.destination === 'sink');
        expect(http.message.target).to.equal(`POST ${receiver.url}/hooks`);
        expect(http.message.payload.headers['Authorization'] ?? http.message.payload.headers['authorization']).to.equal('Bearer [redacted]');
        // Destinations do not mask X-Tenant: the admin API's redaction of `${VAR}` values does.
        expect(http.message.payload.headers['X-Tenant'] ?? http.message.payload.headers['x-tenant']).to.equal('[redacted]');

        const invalid = await admin('POST', '/admin/route-test', { body: { type: 'recording', room_id: 'r' } });
        expect(invalid.status).to.equal(422);
        expect(invalid.body.error.code).to.equal('schema_invalid');
        expect((await admin('POST', '/admin/route-test', { body: '{"type":' })).status).to.equal(400);

        expect(receiver.requests.length).to.equal(sentBefore);
        expect((await t.relay.store.listEvents({ limit: 500 })).length).to.equal(storedBefore);
        expect((await t.relay.store.listRejected(500)).length).to.equal(rejectedBefore);
      });
    });

    describe('rejected bodies', () => {
      it('lists them as text (invalid bytes replaced) and as exact base64', async () => {
        const body = Buffer.concat([Buffer.from('{"type": "roomdrop", "broken": '), Buffer.from([0xff, 0xfe]), Buffer.from(' }')]);
        expect((await t.post(body, BASIC)).status).to.equal(400);
        const res = await admin('GET', '/admin/rejected?limit=1');
        expect(res.status).to.equal(200);
        expect(res.body.rejected).to.have.length(1);
        const [r] = res.body.rejected;
        expect(r.code).to.equal('invalid_json');
        expect(r.raw).to.equal('{"type": "roomdrop", "broken": \uFFFD\uFFFD }');
        expect(Buffer.from(r.rawBase64, 'base64').equals(body)).to.equal(true);
      });
    });

    describe('secrets (promise 4)', () => {
      it('masks secrets that arrive inside an event body, in the parsed body and in the raw bytes', async () => {
        const id = await ingest(roomdrop({ note: `token ${ADMIN_TOKEN} and ${SECRETS.TENANT_SECRET}` }));
        const detail = await admin('GET', `/admin/events/${id}?raw=1`);
        expect(detail.body.event.body.note).to.equal('token [redacted] and [redacted]');
        expect(Buffer.from(detail.body.event.raw, 'base64').toString('utf8')).to.include('"note":"token [redacted] and [redacted]"');
      });

      it('no admin answer held a secret (the rules use ${VAR} in an http header and a Slack token)', () => {
        // admin() already checked each answer as it came; this proves the scan saw the API's answers.
        expect(answers.length).to.be.at.least(40);
        const all = answers.join('\n');
        for (const [name, secret] of Object.entries(SECRETS)) expect(all, name).to.not.include(secret);
        expect(all).to.include('[redacted]');
      });
    });
  });
});
