import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger.js';
import { escapeControl, escapeControlInJson } from '../../../src/logging/control-chars.js';
import { resolveLogFormat } from '../../../src/logging/log-format.js';

/** A memory stream; `tty` makes it look like a terminal to the logger. */
function sink(tty = false): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }) as Writable & { isTTY?: boolean };
  if (tty) stream.isTTY = true;
  return { stream, text: () => chunks.join('') };
}

// Every control character, DEL, C1 (CSI U+009B), the line and paragraph separators, a bidi override.
const HOSTILE = 'room\n{"level":50,"msg":"forged"}\r\u001b[31mred\u007f\u009b2J\u2028\u2029\u202e!';

describe('logging: lines people read and lines programs read', () => {
  it('chooses pretty on a terminal and JSON elsewhere, unless RELAY_LOG_FORMAT says', () => {
    expect(resolveLogFormat(null, sink(true).stream)).to.equal('pretty');
    expect(resolveLogFormat(null, sink(false).stream)).to.equal('json');
    expect(resolveLogFormat('json', sink(true).stream)).to.equal('json');
    expect(resolveLogFormat('pretty', sink(false).stream)).to.equal('pretty');
  });

  it('escapeControl leaves one inert line; escapeControlInJson keeps the JSON value', () => {
    const shown = escapeControl(HOSTILE);
    expect(shown).to.not.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    expect(shown).to.equal('room\\n{"level":50,"msg":"forged"}\\r\\u001b[31mred\\u007f\\u009b2J\\u2028\\u2029\\u202e!');
    const line = escapeControlInJson(JSON.stringify({ v: HOSTILE }));
    expect(line).to.not.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    expect(JSON.parse(line)).to.deep.equal({ v: HOSTILE });
  });

  it('JSON: an event value cannot forge a line, and the line parses back to the value', () => {
    const out = sink();
    createLogger({ level: 'info', destination: out.stream, format: 'json' }).info({ room_id: HOSTILE }, `event from ${HOSTILE}`);
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.not.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    expect(JSON.parse(lines[0]!)).to.include({ room_id: HOSTILE, msg: `event from ${HOSTILE}`, level: 30 });
  });

  it('pretty: time with its offset, level, message and fields on one line, control characters escaped, secrets masked', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', destination: out.stream, format: 'pretty', secrets: () => ['s3cr3t-value'] });
    logger.warn({ room_id: HOSTILE, token: 'abc', note: 'has s3cr3t-value' }, `hello ${HOSTILE}`);
    const text = out.text();
    expect(text.split('\n').filter(Boolean)).to.have.length(1);
    expect(text).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/, 'no raw control character but the final newline');
    expect(text).to.match(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d{4}\] WARN: hello room\\n\{"level":50/);
    expect(text).to.include('"token":"[redacted]"').and.include('has [redacted]').and.not.include('s3cr3t-value');
    expect(text).to.not.include('"service"');
  });
});
