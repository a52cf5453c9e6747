import { expect } from 'chai';
import { join } from 'node:path';
import type { RelayEvent } from '../../src/domain/event.js';
import { acceptPayload } from '../../src/ingest/accept.js';
import type { ExpectationSpec } from '../../src/sessions/expectation.js';
import { formatSessionKey } from '../../src/sessions/session-key.js';
import { sessionTouch } from '../../src/sessions/session-touch.js';
import { openStore } from '../../src/store/open-store.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const APP = '64f0c1a2e7b9d81f2c3a4b5c';
const pos = { file: 'rules.yaml', line: 1, column: 1 };
const EXPECT: ExpectationSpec[] = [{ name: 'recording after the end', after: 'roomdrop', then: 'recording', withinMs: 600_000, when: [], pos }];

const event = (body: Record<string, unknown>, receivedAt: string): RelayEvent => acceptPayload(Buffer.from(JSON.stringify({ app_id: APP, trans_date: 1732700512, ...body })), 'application/json', new Date(receivedAt));

// The built CLI against a real SQLite file that the store wrote as the intake writes it.
describe('enx-relay sessions and session KEY', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  // A room id with what a shell, a terminal or a path would mangle: a slash, a tilde, a space, an escape.
  // And a C1 CSI (U+009B) and a right-to-left override, which JSON.stringify leaves raw.
  const hostileRoom = 'room/1 ~x \u001b[31mred\u009b2J\u202e';
  const done = event({ type: 'roomdrop', room_id: 'room-a', conf_num: '1' }, '2024-11-27T10:00:00Z');
  const key = formatSessionKey(done);
  let waiting: string;

  before(async () => {
    tmp = tempDir();
    env = { RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_LOG_LEVEL: 'warn', TZ: 'UTC' };
    const store = await openStore({ engine: 'sqlite', path: join(tmp.dir, 'relay.db') });
    try {
      await store.migrate();
      // Session a: the recording arrives before the roomdrop it follows; then a transcoded stage and an unknown type.
      const order = [
        event({ type: 'recording', room_id: 'room-a', conf_num: '1', recording: ['https://portal.enablex.io/r/rec-1.mkv', 'https://portal.enablex.io/r/rec-2.mkv'] }, '2024-11-27T09:59:00Z'),
        done,
        event({ type: 'transcoded', room_id: 'room-a', conf_num: '1', recording: 'https://portal.enablex.io/r/final-1.mp4', stage: '1', file_size: '48213377' }, '2024-11-27T10:05:00Z'),
        event({ type: 'whiteboard-saved', room_id: 'room-a', conf_num: '1' }, '2024-11-27T10:06:00Z'),
        // Session b: ended, its recording never came, and its expectation is overdue.
        event({ type: 'roomdrop', room_id: hostileRoom, conf_num: '2' }, '2024-11-27T11:00:00Z'),
      ];
      for (const e of order) await store.ingest(e, [], { dedupeSince: new Date(0), session: sessionTouch(e, EXPECT) ?? undefined });
      waiting = formatSessionKey(order[4]!);
      expect(await store.markWatches([{ key: waiting, name: 'recording after the end', from: 'waiting', to: 'overdue' }], new Date('2024-11-27T11:11:00Z'))).to.equal(1);
    } finally {
      await store.close();
    }
  });
  after(() => tmp.cleanup());

  it('sessions lists them most recently active first, with a header, filters, and the key `session` takes', async () => {
    const r = await runCli(['sessions'], env);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^LAST EVENT\s+EVENTS\s+ENDED\s+OVERDUE\s+SESSION$/);
    expect(lines).to.have.length(3);
    expect(lines[1]).to.match(/^2024-11-27 11:00:00\+00:00\s+1\s+2024-11-27 09:41:52\+00:00\s+1\s+\S+$/);
    expect(lines[1]!.endsWith(waiting)).to.equal(true);
    expect(lines[2]).to.match(/^2024-11-27 10:06:00\+00:00\s+4\s+2024-11-27 09:41:52\+00:00\s+-\s+/);
    expect(lines[2]!.endsWith(key)).to.equal(true);
    // The hostile room is in the key percent-encoded: no escape sequence reaches the terminal.
    expect(r.stdout).to.not.include('\u001b');
    const overdue = await runCli(['sessions', '--overdue', '--json'], env);
    expect((JSON.parse(overdue.stdout) as { key: string }[]).map((s) => s.key)).to.deep.equal([waiting]);
    const room = await runCli(['sessions', '--room', 'room-a', '--json'], env);
    expect(JSON.parse(room.stdout)).to.deep.equal([{ key, appId: APP, roomId: 'room-a', confNum: '1', firstAt: '2024-11-27T09:59:00.000Z', lastAt: '2024-11-27T10:06:00.000Z', endedAt: '2024-11-27T09:41:52.000Z', events: 4, overdue: 0 }]);
    expect((await runCli(['sessions', '--app', 'other-app'], env)).stdout.trim()).to.equal('no sessions');
    const one = await runCli(['sessions', '--limit', '1'], env);
    expect(one.stdout).to.include('(more match: --limit 2 shows more)');
  });

  it('session KEY prints the timeline in arrival order and the record', async () => {
    const r = await runCli(['session', key], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = r.stdout;
    expect(out).to.include(`session ${key}\n  app ${APP}, room room-a, conf 1\n  ended     2024-11-27 09:41:52+00:00`);
    const lines = out.split('\n');
    const from = lines.findIndex((l) => l.startsWith('timeline (4 events, by arrival'));
    const timeline = lines.slice(from + 1, lines.indexOf('', from));
    expect(timeline.map((l) => l.trim().split(/\s+/).slice(2, 3)[0])).to.deep.equal(['recording', 'roomdrop', 'transcoded', 'whiteboard-saved']);
    expect(timeline[1]).to.equal(`  2024-11-27 10:00:00+00:00  roomdrop          ${done.id}`);
    expect(out).to.include('recordings (2):\n  rec-1.mkv  https://portal.enablex.io/r/rec-1.mkv\n  rec-2.mkv  https://portal.enablex.io/r/rec-2.mkv');
    expect(out).to.include('transcoded (1):\n  stage 1  final-1.mp4  46.0 MiB');
    expect(out).to.include('transfers (0):\n  none');
    expect(out).to.include('unknown types (1):\n  2024-11-27 10:06:00+00:00  whiteboard-saved');
    expect(out).to.match(/expectations \(1\):\n {2}recording after the end: recording after roomdrop \(2024-11-27 10:00:00\+00:00\): met/);
    const json = JSON.parse((await runCli(['session', key, '--json'], env)).stdout) as { session: { key: string; events: unknown[] } };
    expect(json.session.key).to.equal(key);
    expect(json.session.events).to.have.length(4);
    // And from an event to its session.
    expect((await runCli(['event', done.id], env)).stdout).to.include(`  session   app ${APP}, room room-a, conf 1 (enx-relay session ${key})\n`);
    const b = await runCli(['session', waiting], env);
    expect(b.stdout).to.include('recording after the end: recording after roomdrop (2024-11-27 11:00:00+00:00): overdue since 2024-11-27 11:10:00+00:00');
    expect(b.stdout).to.include('room room/1 ~x \\u001b[31mred\\u009b2J\\u202e').and.not.include('\u001b');
  });

  it('--json output is inert on a terminal too: C1 controls and bidi overrides as \\u escapes, the same values parsed', async () => {
    const one = await runCli(['session', waiting, '--json'], env);
    expect(one.code, one.stderr).to.equal(0);
    const list = await runCli(['sessions', '--json'], env);
    for (const out of [one.stdout, list.stdout]) {
      expect(out).to.not.match(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(out).to.include('\\u009b2J\\u202e');
    }
    expect((JSON.parse(one.stdout) as { session: { roomId: string } }).session.roomId).to.equal(hostileRoom);
    expect((JSON.parse(list.stdout) as { roomId: string }[]).map((s) => s.roomId)).to.include(hostileRoom);
  });

  it('an unknown key exits 1 saying so; a malformed one exits 2', async () => {
    const unknown = await runCli(['session', 'nope~nope~1'], env);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal('enx-relay session: no session with key "nope~nope~1" (enx-relay sessions lists recent ones)');
    const bad = await runCli(['session', 'room-a/1'], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^enx-relay session: "room-a\/1" is not a session key \(1 part, not 3\)/);
    const none = await runCli(['session'], env);
    expect(none.code).to.equal(2);
  });
});
