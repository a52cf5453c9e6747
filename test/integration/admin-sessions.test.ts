import { expect } from 'chai';
import { formatSessionKey } from '../../src/sessions/session-key.js';
import { adminClient } from '../support/admin-client.js';
import { eventually } from '../support/eventually.js';
import { startTestRelay, type TestRelay } from '../support/relay-harness.js';

const ADMIN_TOKEN = 'admin-sessions-token-0b7e2c51';
const SECRETS = { ADMIN_TOKEN, SINK_TOKEN: 'sink-bearer-sessions-3f9a77' };

const RULES = `version: 1
destinations:
  sink:
    http: { url: "http://127.0.0.1:9/sink", headers: { Authorization: "Bearer \${SINK_TOKEN}" }, timeout: 1s }
  console:
    log: {}
routes:
  - name: nothing matches
    when: { type: never }
    to: sink
fallback: console
sessions:
  expect:
    - name: recording after the end
      after: roomdrop
      then: recording
      within: 1s
      when: { app_id: app-other }
    - name: transcoded after the recording
      after: recording
      then: transcoded
      within: 1h
`;

let n = 0;
const body = (over: Record<string, unknown>): string => JSON.stringify({ type: 'roomdrop', trans_date: 1732700000 + ++n, app_id: 'app-s', room_id: 'room-s', conf_num: 'c-1', ...over });

describe('admin API: sessions', function () {
  this.timeout(30_000);
  let t: TestRelay;
  const client = adminClient(() => t.url, ADMIN_TOKEN, SECRETS);
  const admin = client.request;
  const ingest = async (b: string): Promise<string> => {
    const res = await t.post(b);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.id as string;
  };
  // A room id a URL path or a key separator could be confused by.
  const odd = { app_id: 'app-s', room_id: 'room/2 ~ & <b>x</b>', conf_num: '7' };
  const oddKey = formatSessionKey({ appId: odd.app_id, roomId: odd.room_id, confNum: odd.conf_num });
  const key = formatSessionKey({ appId: 'app-s', roomId: 'room-s', confNum: 'c-1' });
  const ids: string[] = [];

  before(async () => {
    t = await startTestRelay({ rules: RULES, env: { RELAY_ADMIN_TOKEN: ADMIN_TOKEN, SINK_TOKEN: SECRETS.SINK_TOKEN, RELAY_WATCH_INTERVAL: '200ms' } });
    // Out of order: the transcoded stage and the recording before the roomdrop; a recording URL holding a secret.
    ids.push(await ingest(body({ type: 'transcoded', recording: 'https://portal.enablex.io/r/final-1.mp4', stage: 1, file_size: 1000 })));
    ids.push(await ingest(body({ type: 'recording', recording: [`https://portal.enablex.io/r/rec-1.mkv?sig=${SECRETS.SINK_TOKEN}`] })));
    ids.push(await ingest(body({ type: 'roomdrop' })));
    ids.push(await ingest(body({ type: 'file-transfer', destination: { name: 'awss3', account: 'media' }, files: [{ url: 'https://s3.example/rec-1.mkv' }] })));
    await ingest(body({ type: 'roomdrop', ...odd }));
    for (let i = 0; i < 4; i++) await ingest(body({ type: 'roomdrop', app_id: 'app-other', room_id: `r-${i}`, conf_num: '1' }));
  });
  after(async () => {
    await t?.stop();
  });

  it('lists sessions most recently active first, page by page by cursor, each once; filters by app and room', async () => {
    // app-s only: the watchdog is busy with app-other's sessions (their overdue announcements join them).
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await admin('GET', `/admin/sessions?app_id=app-s&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).to.equal(200);
      expect(res.body.sessions).to.have.length.at.most(1);
      seen.push(...res.body.sessions.map((s: any) => s.key));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).to.deep.equal([oddKey, key]);
    const app = (await admin('GET', '/admin/sessions?app_id=app-s')).body.sessions;
    expect(app.map((s: any) => s.key)).to.deep.equal([oddKey, key]);
    expect(app[1]).to.include({ appId: 'app-s', roomId: 'room-s', confNum: 'c-1', events: 4, overdue: 0 });
    expect(app[1].endedAt).to.be.a('string');
    expect((await admin('GET', `/admin/sessions?room_id=${encodeURIComponent(odd.room_id)}`)).body.sessions.map((s: any) => s.key)).to.deep.equal([oddKey]);
    const all = (await admin('GET', '/admin/sessions?limit=500')).body;
    expect(all.sessions).to.have.length(6);
    expect(all.nextCursor).to.equal(null);
    expect((await admin('GET', '/admin/sessions?overdue=0&limit=1')).body.sessions).to.have.length(1);
  });

  it('lists the sessions whose expectation the watchdog found overdue, and shows each watch\'s state', async () => {
    // app-other's sessions ended without a recording within 1 s: the watchdog marks them overdue.
    await eventually(async () => expect((await admin('GET', '/admin/sessions?overdue=1')).body.sessions).to.have.length(4), 15_000);
    const overdue = (await admin('GET', '/admin/sessions?overdue=true')).body.sessions;
    expect(overdue.every((s: any) => s.appId === 'app-other' && s.overdue === 1)).to.equal(true);
    expect((await admin('GET', '/admin/sessions?overdue=1&app_id=app-s')).body.sessions).to.deep.equal([]);
    const other = formatSessionKey({ appId: 'app-other', roomId: 'r-0', confNum: '1' });
    const watches = (await admin('GET', `/admin/sessions/${encodeURIComponent(other)}`)).body.session.watches;
    expect(watches.map((w: any) => [w.name, w.afterType, w.thenType, w.state])).to.deep.equal([['recording after the end', 'roomdrop', 'recording', 'overdue']]);
    // The first session's transcoded stage came before its recording: that watch was met at once.
    const met = (await admin('GET', `/admin/sessions/${encodeURIComponent(key)}`)).body.session.watches;
    expect(met.map((w: any) => [w.name, w.state])).to.deep.equal([['transcoded after the recording', 'met']]);
    expect((await admin('GET', `/admin/sessions/${encodeURIComponent(oddKey)}`)).body.session.watches).to.deep.equal([]);
  });

  it('answers one session: its events by arrival and what they told; secrets masked', async () => {
    const res = await admin('GET', `/admin/sessions/${encodeURIComponent(key)}`);
    expect(res.status).to.equal(200);
    const s = res.body.session;
    expect(s).to.include({ key, appId: 'app-s', roomId: 'room-s', confNum: 'c-1' });
    expect(s.events.map((e: any) => e.id)).to.deep.equal(ids);
    expect(s.events.map((e: any) => e.type)).to.deep.equal(['transcoded', 'recording', 'roomdrop', 'file-transfer']);
    expect(s.endedAt).to.be.a('string');
    expect(s.recordings).to.have.length(1);
    expect(s.recordings[0].url).to.include('sig=').and.not.include(SECRETS.SINK_TOKEN);
    expect(s.transcoded).to.deep.equal([{ stage: 1, name: 'final-1.mp4', url: 'https://portal.enablex.io/r/final-1.mp4', sizeBytes: 1000, eventId: ids[0] }]);
    expect(s.transfers[0].destination).to.deep.include({ name: 'awss3', account: 'media' });
    const o = await admin('GET', `/admin/sessions/${encodeURIComponent(oddKey)}`);
    expect(o.body.session.roomId).to.equal(odd.room_id);
  });

  it('an unknown key is a 404, a malformed one a 400, bad parameters are 400s naming them', async () => {
    const unknown = await admin('GET', `/admin/sessions/${encodeURIComponent('app-s~nope~1')}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.include({ code: 'not_found' });
    for (const bad of ['nope', 'a~b', 'a~b~c~d', 'a%zz~b~c', '~~']) {
      const res = await admin('GET', `/admin/sessions/${encodeURIComponent(bad)}`);
      expect(res.status, bad).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.path), bad).to.deep.equal(['key']);
    }
    expect((await admin('GET', `/admin/sessions/${encodeURIComponent(key)}?raw=1`)).status).to.equal(400);
    const overdue = await admin('GET', '/admin/sessions?overdue=maybe');
    expect(overdue.status).to.equal(400);
    expect(overdue.body.error.details.map((d: any) => d.path)).to.deep.equal(['overdue']);
    for (const cursor of ['nonsense!', Buffer.from('{"lastAt":"x","key":"a~b~c"}').toString('base64url'), Buffer.from('{"lastAt":"2024-01-01T00:00:00Z","key":"nokey"}').toString('base64url')]) {
      const res = await admin('GET', `/admin/sessions?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.path)).to.deep.equal(['cursor']);
    }
    expect((await admin('GET', '/admin/sessions?limit=501')).status).to.equal(400);
    expect((await admin('GET', '/admin/sessions', { token: null })).status).to.equal(401);
  });
});
