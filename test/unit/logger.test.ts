import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** A logger writing to memory; `lines` are the raw lines, `parsed` each one through JSON.parse. */
function capture(secrets: () => readonly string[], level = 'debug'): { logger: Logger; lines: string[]; parsed: () => any[] } {
  const lines: string[] = [];
  const destination = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
  const logger = createLogger({ level, secrets, destination });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l)) };
}

const ESCAPED = 'pa"ss\\word1';
const CONTROL = 'line\nbreak\tsecret';

describe('logger: secrets never reach a line (promise 4)', () => {
  it('masks a secret that JSON escapes, in fields, in the message and in JSON text inside a string', () => {
    const { logger, lines, parsed } = capture(() => [ESCAPED, CONTROL]);
    logger.info({ note: `is ${ESCAPED}`, deep: { list: [CONTROL] } }, `login with ${ESCAPED}`);
    logger.info({ body: JSON.stringify({ password: ESCAPED, other: CONTROL }) }, 'upstream said');
    for (const l of lines) {
      for (const s of [ESCAPED, CONTROL, JSON.stringify(ESCAPED).slice(1, -1), JSON.stringify(CONTROL).slice(1, -1), 'pa\\\\\\"ss', 'word1', 'break']) expect(l).to.not.include(s);
    }
    const [a, b] = parsed();
    expect(a).to.include({ note: 'is [redacted]', msg: 'login with [redacted]' });
    expect(a.deep).to.deep.equal({ list: ['[redacted]'] });
    expect(JSON.parse(b.body)).to.deep.equal({ password: '[redacted]', other: '[redacted]' });
  });

  it('keeps every line valid JSON when secrets are `true`, `8443`, `null` or a key name', () => {
    const { logger, lines, parsed } = capture(() => ['true', '8443', 'null', 'level']);
    logger.info({ duplicate: true, port: 8443, nothing: null, text: 'port 8443 is true, level 3' }, 'listening on 8443');
    logger.warn({ nested: { true: 1, flags: [true, false, 8443] } });
    expect(() => parsed()).to.not.throw();
    const [a, b] = parsed();
    expect(a).to.include({ duplicate: true, port: 8443, nothing: null, text: 'port [redacted] is [redacted], [redacted] 3', msg: 'listening on [redacted]', level: 30, service: 'enx-relay' });
    expect(b.nested).to.deep.equal({ '[redacted]': 1, flags: [true, false, 8443] });
    expect(lines.join('')).to.not.include('[redacted]]');
  });

  it('masks values under credential keys at any depth and in any case, even when they are not known secrets', () => {
    const { logger, lines, parsed } = capture(() => []);
    logger.info({
      headers: { Authorization: 'Bearer abc123', COOKIE: 'sid=s3ss', 'x-api-key': 'k-999', 'X-Request-Id': 'req-1' },
      a: { b: { token: 'tok-1', c: { d: { Password: 'p-1', signing_secret: 'whsec_x', list: [{ ApiKey: 'ak-1' }] } } } },
      proxy: { authorization: ['Basic dXNlcjpwYXNz'] },
      tokenCount: 3,
    });
    const l = lines[0] ?? '';
    for (const s of ['abc123', 's3ss', 'k-999', 'tok-1', 'p-1', 'whsec_x', 'ak-1', 'dXNlcjpwYXNz']) expect(l).to.not.include(s);
    const [o] = parsed();
    expect(o.headers).to.deep.equal({ Authorization: '[redacted]', COOKIE: '[redacted]', 'x-api-key': '[redacted]', 'X-Request-Id': 'req-1' });
    expect(o.a.b.c.d).to.deep.equal({ Password: '[redacted]', signing_secret: '[redacted]', list: [{ ApiKey: '[redacted]' }] });
    expect(o.proxy.authorization).to.deep.equal(['[redacted]']);
    // Numbers under such keys are counts, not credentials.
    expect(o.tokenCount).to.equal(3);
  });

  it('masks an Error: message, stack and causes, logged alone, under err, or nested', () => {
    const { logger, lines, parsed } = capture(() => ['tok-abcdef', ESCAPED]);
    const err = new Error('request with tok-abcdef failed', { cause: new Error(`inner ${ESCAPED}`) });
    logger.error(err);
    logger.error({ err }, 'delivery failed');
    logger.warn({ detail: { error: err } }, 'nested');
    for (const l of lines) {
      expect(l).to.not.include('tok-abcdef');
      expect(l).to.not.include('word1');
    }
    const [alone, under, nested] = parsed();
    expect(alone.msg).to.equal('request with [redacted] failed');
    expect(alone.err.type).to.equal('Error');
    expect(alone.err.message).to.equal('request with [redacted] failed: inner [redacted]');
    expect(alone.err.stack).to.match(/^Error: request with \[redacted\] failed\n/);
    expect(alone.err.stack).to.include('caused by: Error: inner [redacted]');
    expect(under.err).to.deep.equal(alone.err);
    expect(nested.detail.error.message).to.equal(alone.err.message);
  });

  it('masks message strings and format arguments, and child bindings', () => {
    const { logger, lines, parsed } = capture(() => ['s3cr3t-value', 'xoxb-1234']);
    logger.info('plain s3cr3t-value');
    logger.info('formatted %s and %j and %o', 's3cr3t-value', { t: 'xoxb-1234' }, ['xoxb-1234']);
    logger.child({ destination: 'ops', via: 'xoxb-1234' }).child({ more: 's3cr3t-value' }).info('from a child');
    for (const l of lines) {
      expect(l).to.not.include('s3cr3t-value');
      expect(l).to.not.include('xoxb-1234');
    }
    const [plain, formatted, child] = parsed();
    expect(plain.msg).to.equal('plain [redacted]');
    expect(formatted.msg).to.equal('formatted [redacted] and {"t":"[redacted]"} and ["[redacted]"]');
    expect(child).to.include({ destination: 'ops', via: '[redacted]', more: '[redacted]', msg: 'from a child' });
  });

  it('masks the longest secret first, ignores short ones, and survives cycles and URL objects', () => {
    const { logger, parsed } = capture(() => ['abc', 'tok', 'tok-abcdef', 'tok-abcdef-long']);
    const cyclic: Record<string, unknown> = { name: 'tok-abcdef-long' };
    cyclic['self'] = cyclic;
    logger.info({ cyclic, url: new URL('https://user:tok-abcdef@example.com/x'), short: 'abc tok' });
    const [o] = parsed();
    expect(o.cyclic).to.deep.equal({ name: '[redacted]', self: '[Circular]' });
    expect(o.url).to.equal('https://user:[redacted]@example.com/x');
    expect(o.short).to.equal('abc tok');
  });

  it('reads the secrets per line: a new list takes effect at once', () => {
    let secrets: string[] = ['first-secret'];
    const { logger, lines } = capture(() => secrets);
    logger.info('first-secret second-secret');
    secrets = ['first-secret', 'second-secret'];
    logger.info('first-secret second-secret');
    expect(JSON.parse(lines[0] ?? '').msg).to.equal('[redacted] second-secret');
    expect(JSON.parse(lines[1] ?? '').msg).to.equal('[redacted] [redacted]');
  });

  it('leaves objects with nothing to mask as they were', () => {
    const { logger, parsed } = capture(() => ['never-there']);
    const when = new Date('2024-01-02T03:04:05.000Z');
    logger.info({ id: 'e-1', n: 2, when, list: [1, 'a'], empty: {} }, 'ok');
    expect(parsed()[0]).to.include({ id: 'e-1', n: 2, when: '2024-01-02T03:04:05.000Z', msg: 'ok' });
  });
});
