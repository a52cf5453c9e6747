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

  it('takes time linear in the line, whatever runs of backslashes an event sends', () => {
    // A lookbehind over each backslash run took 45 s of CPU for 80,000 of them; this finishes
    // well inside the test's timeout on any machine, or the suite fails.
    // Escaped, these secrets start with a backslash: every backslash of a run is a place to try.
    const m = secretMask(['"quote', '\\back-secret']);
    const run = '\\'.repeat(100_000);
    const line = JSON.stringify({ v: `${run}"quote${run}x` });
    const out = m.jsonLine(line);
    expect(JSON.parse(out)).to.deep.equal({ v: `${run}[redacted]${run}x` });
  });
});

describe('secrets/secretMask: whole values, not pieces of words', () => {
  it('masks a short secret where it stands whole, never inside a longer word', () => {
    const m = secretMask(['secret', 'tok1']);
    expect(m.text('signing_secret must be whsec_...')).to.equal('signing_secret must be whsec_...');
    expect(m.text('secrets and secretive, tok12, xtok1')).to.equal('secrets and secretive, tok12, xtok1');
    expect(m.text('Bearer secret, https://x/hooks/secret?a=tok1&b="secret"')).to.equal('Bearer [redacted], https://x/hooks/[redacted]?a=[redacted]&b="[redacted]"');
    expect(m.text('secret')).to.equal('[redacted]');
  });

  it('masks a long secret (16 characters and more) wherever it appears', () => {
    const long = 'T0K3N-abcdefghijklmnop';
    expect(secretMask([long]).text(`x${long}y and ${long}`)).to.equal('x[redacted]y and [redacted]');
  });

  it('a secret that starts or ends with punctuation is bounded only where it has word characters', () => {
    expect(secretMask(['p@ss!']).text('the p@ss! and xp@ss!y')).to.equal('the [redacted] and xp@ss!y');
    expect(secretMask(['!pass']).text('a!pass b')).to.equal('a[redacted] b');
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
