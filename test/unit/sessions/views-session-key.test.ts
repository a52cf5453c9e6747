import { expect } from 'chai';
import { sessionKeyOf } from '../../../dashboard/src/session-key.js';
import { truncateEscaped, withStatus } from '../../../src/delivery/slack/build-slack-message.js';
import { clockUtc, statusLine } from '../../../src/delivery/slack/session-status.js';
import { formatSessionKey, parseSessionKey } from '../../../src/sessions/session-key.js';
import type { SessionRecord } from '../../../src/sessions/session-types.js';

describe('session views: keys and the status line', () => {
  it("the dashboard's session keys are the relay's, for ids a URL, a shell or the separator would mangle", () => {
    for (const id of [
      { appId: 'app', roomId: 'room', confNum: '1' },
      { appId: 'a/b', roomId: 'r ~ x', confNum: '%41' },
      { appId: '', roomId: '<img src=x>', confNum: 'ü€😀' },
      { appId: "'\"`$(x)", roomId: '~', confNum: '#?&=' },
    ]) {
      expect(sessionKeyOf(id)).to.equal(formatSessionKey(id));
      expect(parseSessionKey(sessionKeyOf(id))).to.deep.equal(id);
    }
    // Text the store cannot keep as it came: a NUL, lone surrogates. The same U+FFFD in both.
    const odd = { appId: 'a\u0000b', roomId: '\uD800x', confNum: 'y\uDC00' };
    expect(sessionKeyOf(odd)).to.equal(formatSessionKey(odd)).and.equal('a%EF%BF%BDb~%EF%BF%BDx~y%EF%BF%BD');
  });

  const record = (over: Partial<SessionRecord>): SessionRecord => ({
    key: 'a~r~1',
    appId: 'a',
    roomId: 'r',
    confNum: '1',
    firstAt: '2026-11-27T17:00:00.000Z',
    lastAt: '2026-11-27T17:10:00.000Z',
    endedAt: null,
    recordings: [],
    transcoded: [],
    transfers: [],
    mirrored: [],
    unknown: [],
    events: [],
    watches: [],
    ...over,
  });
  const watch = (state: SessionRecord['watches'][number]['state'], thenType: string, name = thenType) => ({ name, afterType: 'roomdrop', thenType, afterAt: '2026-11-27T17:02:00Z', dueAt: '2026-11-27T17:32:00Z', state, updatedAt: '2026-11-27T17:02:00Z' });

  it('says what is done, then what is still awaited; met, late and cancelled expectations await nothing', () => {
    const r = record({
      endedAt: '2026-11-27T17:02:10Z',
      events: [
        { id: 'e1', type: 'recording', receivedAt: '2026-11-27T17:09:00Z' },
        { id: 'e2', type: 'recording', receivedAt: '2026-11-27T17:05:00Z' },
      ],
      recordings: [
        { name: 'a.mkv', url: 'u', eventId: 'e1' },
        { name: 'b.mkv', url: 'u', eventId: 'e2' },
      ],
      transcoded: [
        { stage: 1, name: 'f1', url: null, sizeBytes: 1, eventId: 'e3' },
        { stage: 2, name: 'f2', url: null, sizeBytes: 2, eventId: 'e4' },
      ],
      watches: [watch('waiting', 'file-transfer', 'a'), watch('overdue', 'relay.recording.mirrored', 'b'), watch('met', 'recording', 'c'), watch('late', 'transcoded', 'd'), watch('cancelled', 'x', 'e'), watch('waiting', 'whiteboard', 'f')],
    });
    expect(statusLine(r)).to.equal('ended 17:02 · 2 recordings ready 17:09 · transcoded 2 of ? · files not yet delivered to storage · not yet mirrored (overdue since 17:32) · whiteboard not yet arrived · times UTC');
    expect(statusLine(record({ watches: [watch('waiting', 'roomdrop')] }))).to.equal('not yet ended');
    expect(statusLine(record({}))).to.equal('');
    expect(clockUtc('nonsense')).to.equal('?');
  });

  it('a status line is cut to its context element\'s size without leaving an entity half written, text-only messages too', () => {
    expect(truncateEscaped('ab&amp;cd', 5)).to.equal('ab…');
    expect(truncateEscaped('abc&lt;', 6)).to.equal('abc…');
    expect(truncateEscaped('abcd', 4)).to.equal('abcd');
    const status = '<&>'.repeat(2000);
    const ctx = withStatus({ text: 't', blocks: [{ type: 'section' }] }, status).blocks!.at(-1) as unknown as { elements: { text: string }[] };
    expect(ctx.elements[0]!.text.length).to.be.at.most(2000);
    expect(ctx.elements[0]!.text).to.not.match(/&(?!amp;|lt;|gt;)|[<>]/);
    expect(withStatus({ text: 't' }, status).text.length).to.be.at.most(2002);
  });
});
