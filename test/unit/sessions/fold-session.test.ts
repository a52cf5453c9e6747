import { expect } from 'chai';
import { createRelayEvent } from '../../../src/relay-events/create-relay-event.js';
import { mirrorAnnouncement, type MirrorCopy } from '../../../src/relay-events/types/recording-mirror.js';
import { foldSession, type SessionEventRow } from '../../../src/sessions/fold-session.js';
import { sessionFacts } from '../../../src/sessions/session-facts.js';
import { sessionTouch } from '../../../src/sessions/session-touch.js';
import { sessionEvent } from '../../contract/session-fixtures.js';

const at = (ms: number): Date => new Date(Date.parse('2025-03-01T10:00:00Z') + ms);
const copy = (over: Partial<MirrorCopy>): MirrorCopy => ({ file_name: 'a.mp4', source_url: 'https://p.example/rec/a.mp4', status: 'mirrored', location: 's3://b/a.mp4', size: 10, sha256: null, ...over });

function rows(...events: ReturnType<typeof sessionEvent>[]): SessionEventRow[] {
  return events.map((e) => ({ eventId: e.id, type: e.type, receivedAt: e.receivedAt, factKey: e.dedupeKey, facts: sessionFacts(e) }));
}

describe('a session record, folded from its events', () => {
  const rec = sessionEvent({ type: 'recording', recording: ['https://p.example/rec/a.mp4', 'https://p.example/rec/b.mp4'] }, at(0));
  const mirror = (copies: MirrorCopy[], t: number) => {
    const d = mirrorAnnouncement({ source: rec, destination: 'vault', target: 's3://b/', copies, expiresAt: null })!;
    return createRelayEvent(d, at(t));
  };

  it('mirrored copies: one per mirror destination and file, mirrored over failed over pending, whatever the order', () => {
    const failed = mirror([copy({}), copy({ file_name: 'b.mp4', status: 'failed', location: null, size: null, reason: 'expired' })], 1000);
    const laterOk = mirror([copy({}), copy({ file_name: 'b.mp4', location: 's3://b/b.mp4' })], 2000);
    const one = foldSession('k', rec, rows(rec, failed, laterOk), []);
    const other = foldSession('k', rec, rows(laterOk, rec, failed), []);
    expect(one).to.deep.equal(other);
    expect(one.mirrored.map((m) => [m.destination, m.name, m.status, m.location])).to.deep.equal([
      ['vault', 'a.mp4', 'mirrored', 's3://b/a.mp4'],
      ['vault', 'b.mp4', 'mirrored', 's3://b/b.mp4'],
    ]);
    const onlyFailed = foldSession('k', rec, rows(rec, failed), []);
    expect(onlyFailed.mirrored.map((m) => [m.name, m.status, m.reason])).to.deep.equal([
      ['a.mp4', 'mirrored', null],
      ['b.mp4', 'failed', 'expired'],
    ]);
  });

  it('a relay event about no session touches none; one about a session counts as its event but adds no facts', () => {
    const about = createRelayEvent({ type: 'relay.destination.failing', aboutDestination: 'x', fields: {}, once: '1' }, at(0));
    expect(sessionTouch(about, [])).to.equal(null);
    const other = createRelayEvent({ type: 'relay.session.overdue', session: { appId: 'app-1', roomId: 'room-1', confNum: 'conf-1' }, fields: {}, once: '2' }, at(0));
    expect(sessionFacts(other)).to.deep.equal({});
  });

  it('a field of an unexpected shape is left out, never a crash', () => {
    const odd = createRelayEvent({ type: 'relay.recording.mirrored', session: { appId: 'a', roomId: 'r', confNum: 'c' }, fields: { copies: [null, 3, { file_name: 7 }, { file_name: 'x', size: 'big' }], target: 5 }, once: '3' }, at(0));
    expect(sessionFacts(odd)).to.deep.equal({ mirror: { destination: null, target: null, copies: [{ name: 'x', status: 'pending', location: null, sizeBytes: null, reason: null }] } });
  });
});
