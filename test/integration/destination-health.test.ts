import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '../../src/config/env.js';
import { startRelay, type Relay } from '../../src/relay.js';
import { FakeSlack } from '../support/fake-slack.js';
import { LineCapture } from '../support/line-capture.js';
import { pgSchema } from '../support/pg-schema.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../support/scripted-receiver.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/enablex/${name}`, import.meta.url));
const HOOK_TOKEN = 'hook-token-0123456789abcdef';
// What a hostile receiver answers: Slack mentions and links, and the credential it was sent.
const HOSTILE = `<!channel> <https://evil.example|click here> *down* token=${HOOK_TOKEN}`;

/** The rules: every event (relay events too) to the receiver and to Slack, by one catch-all route. */
function rulesFor(receiver: ScriptedReceiver): string {
  return `version: 1
health: { failing_after: 1s }
destinations:
  api-hook:
    http:
      url: "${receiver.url}/hook"
      headers: { Authorization: "Bearer \${HOOK_TOKEN}" }
  ops:
    slack: { channel: "#ops", thread: none }
routes:
  - name: everything
    to: [api-hook, ops]
retry: { schedule: [300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms] }
`;
}

/** relay.destination.* posts at the fake Slack, by their kind. */
function healthPosts(slack: FakeSlack): { failing: string[]; recovered: string[] } {
  const texts = slack.callsOf('chat.postMessage').map((c) => String(c.args['text']) + '\n' + JSON.stringify(c.args['blocks'] ?? []));
  return { failing: texts.filter((t) => /^Destination \S+ is failing/.test(t)), recovered: texts.filter((t) => /^Destination \S+ recovered/.test(t)) };
}

const relayBodies = (receiver: ScriptedReceiver): unknown[] =>
  receiver.requests.map((r) => JSON.parse(r.body.toString('utf8')) as { origin?: string }).filter((b) => b.origin === 'enx-relay');

describe('destination health, announced (relay.destination.failing / .recovered)', function () {
  this.timeout(40_000);
  let slack: FakeSlack;
  let receiver: ScriptedReceiver;
  let tmp: ReturnType<typeof tempDir>;
  let relay: Relay | null = null;
  const logs = new LineCapture();

  async function start(db = `sqlite:${join(tmp.dir, 'relay.db')}`): Promise<Relay> {
    const env = {
      RELAY_PORT: '0',
      RELAY_HOST: '127.0.0.1',
      RELAY_DB: db,
      RELAY_RULES: join(tmp.dir, 'rules.yaml'),
      RELAY_SHUTDOWN_GRACE: '1s',
      RELAY_WATCH_INTERVAL: '150ms',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      RELAY_SLACK_API_URL: slack.url,
      HOOK_TOKEN,
    };
    return startRelay(loadSettings(env), { env, logStream: logs, out: new LineCapture() });
  }

  beforeEach(async () => {
    slack = await FakeSlack.start();
    receiver = await startScriptedReceiver();
    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'rules.yaml'), rulesFor(receiver));
  });
  afterEach(async () => {
    await relay?.stop();
    relay = null;
    await receiver.close();
    await slack.close();
    tmp.cleanup();
  });

  it('a receiver down longer than failing_after: one failing, then one recovered, at Slack; never either at the receiver', async () => {
    receiver.setDefault({ status: 503, body: HOSTILE });
    relay = await start();
    const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: fixture('roomdrop.json'), headers: { 'content-type': 'application/json' } });
    expect(res.status).to.equal(200);

    await eventually(() => expect(healthPosts(slack).failing).to.have.length(1), 10_000, 50);
    const failing = slack.callsOf('chat.postMessage').find((c) => /is failing/.test(String(c.args['text'])))!;
    const shown = String(failing.args['text']) + JSON.stringify(failing.args['blocks'] ?? []);
    expect(shown).to.include("api-hook");
    // The receiver's text is quoted inert: no mention, no link, and the credential masked.
    expect(shown).to.not.include('<!channel>');
    expect(shown).to.not.include('<https://evil.example|');
    expect(shown).to.not.include(HOOK_TOKEN);
    // Still down: more passes, no second announcement.
    await new Promise((r) => setTimeout(r, 800));
    expect(healthPosts(slack).failing).to.have.length(1);
    expect(healthPosts(slack).recovered).to.have.length(0);

    receiver.setDefault({ status: 200 });
    await eventually(() => expect(healthPosts(slack).recovered).to.have.length(1), 10_000, 50);
    await new Promise((r) => setTimeout(r, 800));
    expect(healthPosts(slack).failing).to.have.length(1);
    expect(healthPosts(slack).recovered).to.have.length(1);
    expect(relayBodies(receiver), 'relay events about api-hook reached api-hook').to.deep.equal([]);

    // The stored events: their fields, and no delivery to the destination they are about.
    const events = await relay.store.listEvents({ limit: 10, type: 'relay.destination.failing' });
    expect(events).to.have.length(1);
    expect(events[0]!.deliveries.map((d) => d.destination)).to.deep.equal(['ops']);
    const body = (await relay.store.getEvent(events[0]!.id))!.body as Record<string, any>;
    expect(body).to.include({ destination: 'api-hook', episode: 1, waiting: 1, failing_after: '1s', last_success_at: null });
    expect(body.about).to.deep.equal({ destination: 'api-hook' });
    expect(body.last_errors.length).to.be.within(1, 5);
    expect(JSON.stringify(body)).to.not.include(HOOK_TOKEN);
    const rec = (await relay.store.listEvents({ limit: 10, type: 'relay.destination.recovered' }))[0]!;
    expect(rec.deliveries.map((d) => d.destination)).to.deep.equal(['ops']);
    const rbody = (await relay.store.getEvent(rec.id))!.body as Record<string, any>;
    expect(rbody).to.include({ destination: 'api-hook', episode: 1, failing_since: body.failing_since });
    expect(Date.parse(rbody.recovered_at)).to.be.greaterThan(Date.parse(body.failing_since));

    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).to.match(/enx_relay_destination_failing\{destination="api-hook"\} 0/);
  });

  it('across a restart: the episode announced before it is not announced again; its recovery once', async () => {
    receiver.setDefault({ status: 503 });
    relay = await start();
    await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: fixture('roomdrop.json'), headers: { 'content-type': 'application/json' } });
    await eventually(() => expect(healthPosts(slack).failing).to.have.length(1), 10_000, 50);
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).to.match(/enx_relay_destination_failing\{destination="api-hook"\} 1/);
    await relay.stop();

    relay = await start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(healthPosts(slack).failing).to.have.length(1);
    receiver.setDefault({ status: 200 });
    await eventually(() => expect(healthPosts(slack).recovered).to.have.length(1), 10_000, 50);
    await relay.stop();

    relay = await start();
    await new Promise((r) => setTimeout(r, 800));
    expect(healthPosts(slack)).to.deep.equal({ failing: [healthPosts(slack).failing[0]], recovered: [healthPosts(slack).recovered[0]] });
  });

  it('two relays on one PostgreSQL schema: exactly one failing and one recovered between them', async () => {
    const db = pgSchema();
    const url = `${db.url}?schema=${db.schema}`;
    receiver.setDefault({ status: 503 });
    const first = await start(url);
    const second = await start(url);
    try {
      // Each takes in one event: both workers fail on api-hook, both watches see it.
      for (const r of [first, second]) {
        const body = JSON.stringify({ type: 'roomdrop', trans_date: 1732700512, app_id: 'a', room_id: 'r', conf_num: `via-${r.url}` });
        expect((await fetch(`${r.url}/webhooks/enablex`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status).to.equal(200);
      }
      await eventually(() => expect(healthPosts(slack).failing).to.have.length(1), 10_000, 50);
      await new Promise((r) => setTimeout(r, 1000));
      expect(healthPosts(slack).failing).to.have.length(1);
      receiver.setDefault({ status: 200 });
      await eventually(() => expect(healthPosts(slack).recovered).to.have.length(1), 10_000, 50);
      await new Promise((r) => setTimeout(r, 1000));
      expect(healthPosts(slack)).to.deep.include({ failing: [healthPosts(slack).failing[0]] });
      expect(healthPosts(slack).recovered).to.have.length(1);
      expect(relayBodies(receiver)).to.deep.equal([]);
      const rows = await db.sql<{ type: string; n: number }>("SELECT type, count(*)::int AS n FROM events WHERE type LIKE 'relay.destination.%' GROUP BY type ORDER BY type");
      expect(rows).to.deep.equal([
        { type: 'relay.destination.failing', n: 1 },
        { type: 'relay.destination.recovered', n: 1 },
      ]);
    } finally {
      await first.stop();
      await second.stop();
      await db.drop();
    }
  });
});
