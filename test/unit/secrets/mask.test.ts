import { expect } from 'chai';
import { secretMask } from '../../../src/secrets/mask.js';
import { redactBytes, redactJson, redactText } from '../../../src/http/admin/redact.js';

describe('secrets/secretMask', () => {
  it('builds one mask per list (by identity) and none for short secrets', () => {
    const list = ['abcd-1234'];
    expect(secretMask(list)).to.equal(secretMask(list));
    expect(secretMask(['abc', '']).empty).to.equal(true);
  });

  it('masks in finished JSON only the escaped forms, on escape boundaries, keeping the line valid', () => {
    const m = secretMask(['true', 'q"uote', '\\"x\\']);
    const line = JSON.stringify({ ok: true, a: 'say q"uote', b: '\\\\"x\\', c: 'true' });
    const out = m.jsonLine(line);
    expect(() => JSON.parse(out)).to.not.throw();
    expect(JSON.parse(out)).to.deep.equal({ ok: true, a: 'say [redacted]', b: '\\[redacted]', c: 'true' });
  });

  it('never matches from the middle of an escape pair', () => {
    // The secret is backslash + "nabc"; the value is backslash + newline + "abc". Escaped, the value
    // holds the secret's escaped form one character into the `\\` pair.
    const line = JSON.stringify({ v: '\\\nabc' });
    expect(line).to.include('\\\\nabc');
    const out = secretMask(['\\nabc']).jsonLine(line);
    expect(JSON.parse(out)).to.deep.equal({ v: '\\\nabc' });
  });
});

describe('http/admin/redact with the shared mask', () => {
  it('masks secrets that JSON escapes in text, JSON answers and raw JSON bytes', () => {
    const secret = 'pa"ss\\word1';
    expect(redactText(`x ${secret} y`, [secret])).to.equal('x [redacted] y');
    expect(redactJson({ [secret]: [secret] }, [secret])).to.deep.equal({ '[redacted]': ['[redacted]'] });
    const raw = Buffer.from(JSON.stringify({ note: `is ${secret}` }));
    expect(redactBytes(raw, [secret]).toString('utf8')).to.equal('{"note":"is [redacted]"}');
  });
});
