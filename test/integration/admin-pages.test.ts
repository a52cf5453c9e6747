import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { parseRules } from '../../src/config/rules.js';
import { loadCases } from '../../src/routing/test-cases/load-cases.js';
import { runCases } from '../../src/routing/test-cases/run-cases.js';
import { adminClient } from '../support/admin-client.js';
import { eventually } from '../support/eventually.js';
import { expectDocumented } from '../support/openapi-check.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';

const ADMIN_TOKEN = 'admin-pages-token-5f1c9e77';
const SECRETS = { ADMIN_TOKEN, SINK_TOKEN: 'sink-bearer-7a0c13', LITERAL: 'literal-signing-9d2e44f1' };

const rulesFor = (url: string, extra = ''): string => `version: 1
destinations:
  sink:
    http:
      url: "${url}/sink"
      headers: { Authorization: "Bearer \${SINK_TOKEN}" }
      signing_secret: "whsec_${Buffer.from(SECRETS.LITERAL.padEnd(24, 'x')).toString('base64')}"
      body: original
      timeout: 2s
  other:
    http: { url: "${url}/other", body: original, timeout: 2s }
  console:
    log: {}
routes:
  - name: rooms to sink
    when: { room_id: "room-*" }
    to: sink
  - name: app b to other
    when: { app_id: app-b }
    to: other
${extra}fallback: console
retry: { schedule: [50ms] }
`;

let n = 0;
const body = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'roomdrop', trans_date: 1732700000 + ++n, app_id: 'app-a', room_id: `room-${n % 3}`, conf_num: `c-${n}`, ...over });

describe('admin API: the pages the dashboard reads', function () {
  this.timeout(30_000);
  let t: TestRelay;
  let receiver: ScriptedReceiver;
  const client = adminClient(() => t.url, ADMIN_TOKEN, SECRETS);
  const admin = client.request;
  const ingest = async (b: string): Promise<string> => {
    const res = await t.post(b);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.id as string;
  };
  const statusOf = async (id: string): Promise<string[]> => (await t.relay.store.listDeliveries(id)).map((d) => d.status);

  before(async () => {
    receiver = await startScriptedReceiver();
    t = await startTestRelay({ rules: rulesFor(receiver.url), env: { RELAY_ADMIN_TOKEN: ADMIN_TOKEN, SINK_TOKEN: SECRETS.SINK_TOKEN, RELAY_MAX_BODY: '4kb' } });
  });
  after(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it('refuses an unknown or repeated query parameter and a limit above its maximum on every admin GET, naming it', async () => {
    for (const path of ['/admin/events', '/admin/events/x', '/admin/sessions', '/admin/sessions/a~b~c', '/admin/dead-letters', '/admin/dead-letters/groups', '/admin/rules', '/admin/rules/source', '/admin/rejected', '/admin/examples', '/admin/health']) {
      const res = await admin('GET', `${path}?sattus=dead`);
      expect(res.status, path).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.path), path).to.deep.equal(['sattus']);
    }
    const typo = await admin('GET', '/admin/events?sattus=dead');
    expect(typo.body.error.message).to.match(/^sattus: unknown parameter \(did you mean "status"\?\); known: status, type, app_id/);
    const two = await admin('GET', '/admin/events?limit=5&status=dead&status=pending&colour=red');
    expect(two.body.error.details.map((d: any) => d.path)).to.deep.equal(['status', 'colour']);
    for (const path of ['/admin/events', '/admin/sessions', '/admin/dead-letters', '/admin/rejected']) {
      const res = await admin('GET', `${path}?limit=501`);
      expect(res.status, path).to.equal(400);
      expect(res.body.error.details).to.deep.equal([{ path: 'limit', message: 'limit must be a whole number from 1 to 500, not "501"' }]);
      expect((await admin('GET', `${path}?limit=500`)).status).to.equal(200);
    }
    for (const cursor of ['nonsense!', Buffer.from('{"receivedAt":"x","id":1}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      const res = await admin('GET', `/admin/events?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.path)).to.deep.equal(['cursor']);
    }
    expect((await admin('GET', '/admin/dead-letters?reason=bored')).body.error.details[0].message).to.match(/^reason must be one of client, server/);
  });

  it('pages events by cursor with filters, each event once', async () => {
    receiver.setDefault({ status: 200 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await ingest(body({ app_id: i % 2 ? 'app-b' : 'app-a' })));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await admin('GET', `/admin/events?limit=3&since=1h${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.events.map((e: any) => e.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.filter((id) => ids.includes(id))).to.deep.equal([...ids].reverse());
    const appB = (await admin('GET', '/admin/events?app_id=app-b&limit=50')).body.events.map((e: any) => e.id);
    expect(appB).to.deep.equal([ids[5], ids[3], ids[1]]);
    const room = (await admin('GET', `/admin/events?room_id=room-${n % 3}&limit=50`)).body.events;
    expect(room.map((e: any) => e.id)).to.include(ids[6]);
    expect(room.every((e: any) => e.roomId === `room-${n % 3}`)).to.equal(true);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await admin('GET', `/admin/events?until=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).body.events).to.deep.equal([]);
    expect((await admin('GET', `/admin/events?until=${encodeURIComponent(future)}&limit=1`)).body.events).to.have.length(1);
  });

  it('groups dead letters by destination and reason, replays a selection after a dry-run count, and the worker delivers it', async () => {
    receiver.setDefault({ status: 410, body: 'gone' });
    const dead = [await ingest(body({ room_id: 'room-dead' })), await ingest(body({ room_id: 'room-dead' })), await ingest(body({ room_id: 'room-dead' }))];
    for (const id of dead) await eventually(async () => expect(await statusOf(id)).to.deep.equal(['dead']), 10_000);

    const groups = await admin('GET', '/admin/dead-letters/groups?destination=sink');
    expect(groups.body.truncated).to.equal(false);
    expect(groups.body.groups).to.have.length(1);
    expect(groups.body.groups[0]).to.include({ destination: 'sink', reason: 'client', count: 3 });
    expect(groups.body.groups[0].sampleError).to.match(/410/);

    const letters = await admin('GET', '/admin/dead-letters?destination=sink&reason=client&limit=2');
    expect(letters.body.deadLetters.map((d: any) => d.eventId)).to.deep.equal([dead[2], dead[1]]);
    expect(letters.body.deadLetters[0]).to.include({ destination: 'sink', reason: 'client', roomId: 'room-dead' });
    const rest = await admin('GET', `/admin/dead-letters?destination=sink&reason=client&limit=2&cursor=${letters.body.nextCursor}`);
    expect(rest.body.deadLetters.map((d: any) => d.eventId)).to.deep.equal([dead[0]]);
    const dlist = await admin('GET', '/admin/events?status=dead&room_id=room-dead');
    expect(dlist.body.events.map((e: any) => e.id)).to.deep.equal([...dead].reverse());
    expect(dlist.body.events[0].deliveries[0]).to.include({ status: 'dead', reason: 'client' });

    const selection = letters.body.deadLetters.map((d: any) => d.deliveryId);
    const dry = await admin('POST', '/admin/replay', { body: { deliveryIds: selection, dryRun: true } });
    expect(dry.body).to.deep.equal({ replayed: 2, dryRun: true });
    expect(await statusOf(dead[2]!)).to.deep.equal(['dead']);
    receiver.setDefault({ status: 200 });
    const done = await admin('POST', '/admin/replay', { body: { deliveryIds: selection } });
    expect(done.body).to.deep.equal({ replayed: 2, dryRun: false });
    await eventually(async () => expect([await statusOf(dead[1]!), await statusOf(dead[2]!)]).to.deep.equal([['delivered'], ['delivered']]), 10_000);
    expect(await statusOf(dead[0]!)).to.deep.equal(['dead']);

    // Everything matching a filter: what the groups' "Replay all" sends.
    const count = await admin('POST', '/admin/replay', { body: { destination: 'sink', reason: 'client', dryRun: true } });
    expect(count.body.replayed).to.equal(1);
    expect((await admin('POST', '/admin/replay', { body: { destination: 'sink', reason: 'server' } })).body.replayed).to.equal(0);
    expect((await admin('POST', '/admin/replay', { body: { destination: 'sink', reason: 'client' } })).body.replayed).to.equal(1);
    await eventually(async () => expect(await statusOf(dead[0]!)).to.deep.equal(['delivered']), 10_000);
    for (const bad of [{ deliveryIds: [] }, { deliveryIds: 'abc' }, { deliveryIds: [1] }, { reason: 'bored' }]) {
      const res = await admin('POST', '/admin/replay', { body: bad });
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.path)).to.deep.equal([Object.keys(bad)[0]]);
    }
  });

  it('reads JSON bodies with koa-bodyparser whatever their Content-Type, and refuses what is not a JSON object', async () => {
    const asForm = await admin('POST', '/admin/replay', { body: '{"dryRun": true, "destination": "sink"}', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(asForm.body).to.deep.equal({ replayed: 0, dryRun: true });
    const gz = await fetch(`${t.url}/admin/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"dryRun": true}'),
    });
    expect(gz.status).to.equal(200);
    expectDocumented('POST', '/admin/replay', gz.status, await gz.json());
    const cases: [string, number, string][] = [
      ['{"dryRun": tru', 400, 'invalid_json'],
      ['[1, 2]', 400, 'bad_request'],
      ['"dead"', 400, 'invalid_json'],
      ['{"__proto__": {"x": 1}}', 400, 'invalid_json'],
      [JSON.stringify({ destination: 'x'.repeat(5000) }), 413, 'payload_too_large'],
    ];
    for (const [text, status, code] of cases) {
      const res = await admin('POST', '/admin/replay', { body: text });
      expect(res.status, text.slice(0, 40)).to.equal(status);
      expect(res.body.error.code).to.equal(code);
    }
  });

  it('shows the rules text in force with secrets masked, and the last reload result with positioned errors', async () => {
    const source = await admin('GET', '/admin/rules/source');
    expect(source.body.text).to.include('Bearer ${SINK_TOKEN}');
    expect(source.body.text).to.include('signing_secret: "[redacted]"');
    expect(source.body.hash).to.equal(t.relay.rules.current().hash);
    expect((await admin('GET', '/admin/rules')).body).to.include({ lastReload: null, tests: null });

    writeFileSync(join(t.dir, 'rules.yaml'), rulesFor(receiver.url).replace('to: other\n', 'to: [other, nowhere]\n'));
    expect((await admin('POST', '/admin/rules/reload')).status).to.equal(422);
    const refused = (await admin('GET', '/admin/rules')).body.lastReload;
    expect(refused).to.include({ result: 'refused', hash: null });
    expect(refused.errors[0].path).to.match(/rules\.yaml:20:\d+$/);
    expect(refused.errors[0].message).to.include('nowhere');
    expect((await admin('GET', '/admin/health')).body.rules.lastReload).to.equal('refused');

    writeFileSync(join(t.dir, 'rules.yaml'), rulesFor(receiver.url));
    expect((await admin('POST', '/admin/rules/reload')).status).to.equal(200);
    expect((await admin('GET', '/admin/rules')).body.lastReload).to.include({ result: 'unchanged', hash: t.relay.rules.current().hash });
  });

  it('answers the route test with a routing test case that passes against the rules in force', async () => {
    const examples = await admin('GET', '/admin/examples');
    expect(examples.body.examples.map((e: any) => e.type)).to.deep.equal(['roomdrop', 'recording', 'transcoded', 'file-transfer']);
    const event = { ...examples.body.examples[1].body, room_id: 'room-"quoted"\nline', app_id: 'app-b' };
    const res = await admin('POST', '/admin/route-test', { body: event });
    expect(res.status).to.equal(200);
    expect(res.body.deliveries.map((d: any) => d.destination)).to.deep.equal(['sink', 'other']);
    const file = join(t.dir, 'case.yaml');
    writeFileSync(file, res.body.testCase);
    const loaded = await loadCases(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.cases[0]!.destinations).to.deep.equal(['sink', 'other']);
    expect(JSON.parse(loaded.cases[0]!.raw.toString())).to.deep.equal(event);
    const rules = parseRules(rulesFor(receiver.url), join(t.dir, 'rules.yaml'), { env: { SINK_TOKEN: 'x' } });
    if (!rules.ok) throw new Error('rules');
    expect(runCases(loaded.cases, rules.rules).map((r) => r.passed)).to.deep.equal([true]);
  });

  it('summarizes health: events of the last minute and each destination\'s backlog and dead', async () => {
    receiver.setDefault('hang');
    const id = await ingest(body({ room_id: 'room-slow' }));
    const health = await eventually(async () => {
      const h = (await admin('GET', '/admin/health')).body;
      expect(h.destinations.find((d: any) => d.destination === 'sink').unfinished).to.equal(1);
      return h;
    }, 10_000);
    expect(health.intake.received).to.be.at.least(10);
    expect(health.intake).to.include({ windowSeconds: 60, atLeast: false });
    const sink = health.destinations.find((d: any) => d.destination === 'sink');
    expect(sink).to.include({ kind: 'http', dead: 0, atLeast: false });
    expect(Date.parse(sink.oldestUnfinishedAt)).to.equal(Date.parse((await t.relay.store.getEvent(id))!.receivedAt));
    expect(health.destinations.map((d: any) => d.destination)).to.deep.equal(['sink', 'other', 'console']);
    receiver.setDefault({ status: 200 });
  });

  it('pages rejected bodies by cursor', async () => {
    for (let i = 0; i < 3; i++) expect((await t.post(`{"broken": ${i}`)).status).to.equal(400);
    const first = await admin('GET', '/admin/rejected?limit=2');
    expect(first.body.rejected.map((r: any) => r.raw)).to.deep.equal(['{"broken": 2', '{"broken": 1']);
    const second = await admin('GET', `/admin/rejected?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.rejected.map((r: any) => r.raw)).to.deep.equal(['{"broken": 0']);
    expect(second.body.nextCursor).to.equal(null);
  });

  it('serves /openapi.json to anyone, with no secret in it', async () => {
    const res = await fetch(`${t.url}/openapi.json`);
    expect(res.status).to.equal(200);
    const text = await res.text();
    const doc = JSON.parse(text);
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.paths).to.have.property('/admin/events');
    expect(doc.paths).to.have.property('/webhooks/enablex');
    for (const secret of Object.values(SECRETS)) expect(text).to.not.include(secret);
    expect(client.answers.length).to.be.at.least(60);
  });
});
