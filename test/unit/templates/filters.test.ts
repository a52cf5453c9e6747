import { expect } from 'chai';
import { compileTemplate, renderTemplate } from '../../../src/templates/engine.js';
import { formatBytes } from '../../../src/templates/format.js';

const render = (source: string, view: Record<string, unknown> = {}): Promise<string> => renderTemplate(compileTemplate(source), view);

describe('templates/filters', () => {
  it('bytes: human sizes from numbers and numeric strings, empty for anything else', async () => {
    expect(await render('{{ v | bytes }}', { v: 48213377 })).to.equal('46.0 MiB');
    expect(await render('{{ v | bytes }}', { v: '48213377' })).to.equal('46.0 MiB');
    expect(await render('{{ v | bytes }}', { v: 1 })).to.equal('1 byte');
    expect(await render('{{ v | bytes }}', { v: 1023 })).to.equal('1023 bytes');
    expect(await render('{{ v | bytes }}', { v: 1024 })).to.equal('1.0 KiB');
    expect(await render('{{ v | bytes }}', { v: 'big' })).to.equal('');
    expect(await render('{{ v | bytes }}', {})).to.equal('');
    expect(formatBytes(-5)).to.equal('');
    expect(formatBytes(5 * 1024 ** 5)).to.equal('5120.0 TiB');
  });

  it('date: ISO-8601 by default, "utc" for people; unix seconds, milliseconds, numeric strings and ISO in', async () => {
    const iso = '2024-11-27T10:01:11.000Z';
    for (const v of [1732701671, 1732701671000, '1732701671', iso]) {
      expect(await render('{{ v | date }}', { v }), String(v)).to.equal(iso);
    }
    expect(await render('{{ v | date: "utc" }}', { v: 1732701671 })).to.equal('2024-11-27 10:01 UTC');
    expect(await render('{{ v | date }}', { v: 'not a date' })).to.equal('');
    expect(await render('{{ v | date }}', {})).to.equal('');
  });

  it('expires: 72 hours after the time, when portal links stop working', async () => {
    expect(await render('{{ v | expires }}', { v: 1732701671 })).to.equal('2024-11-30T10:01:11.000Z');
    expect(await render('{{ v | expires | date: "utc" }}', { v: '2024-11-27T10:01:11Z' })).to.equal('2024-11-30 10:01 UTC');
    expect(await render('{{ v | expires }}', { v: null })).to.equal('');
  });

  it('an unknown filter is a compile error, not an empty render', () => {
    expect(() => compileTemplate('{{ v | no_such }}')).to.throw(/template does not compile: undefined filter: no_such/);
  });
});
