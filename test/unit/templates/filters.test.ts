import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { compileTemplate, renderTemplate } from '../../../src/templates/engine.js';
import { formatBytes } from '../../../src/templates/format.js';

const execFileP = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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

describe('templates/filters: never throw, never the server zone', () => {
  it('date and expires render empty for schema-valid times no date can hold', async () => {
    for (const v of ['99999999999999999', 99999999999999999, '1e400', 8.64e15, -1, Number.POSITIVE_INFINITY, new Date(Number.NaN), { a: 1 }]) {
      expect(await render('[{{ v | date }}|{{ v | expires }}|{{ v | date: "utc" }}]', { v }), String(v)).to.equal('[||]');
    }
  });

  it('an ISO time with an hours-only offset is read with it', async () => {
    expect(await render('{{ v | date }}', { v: '2026-11-27T15:46:41+05' })).to.equal('2026-11-27T10:46:41.000Z');
  });

  it('an ISO time without an offset is UTC even where the server runs in another zone (TZ=Asia/Kolkata)', async () => {
    const code = [
      "import { compileTemplate, renderTemplate } from './src/templates/engine.ts';",
      "const out = await renderTemplate(compileTemplate('{{ v | date }} {{ v | expires }} {{ w | date }}'), { v: '2026-11-27T10:16:41', w: '2026-11-27 10:16' });",
      'process.stdout.write(JSON.stringify({ out, offset: new Date(2026, 10, 27).getTimezoneOffset() }));',
    ].join('\n');
    const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, TZ: 'Asia/Kolkata' }, cwd: ROOT });
    const { out, offset } = JSON.parse(stdout) as { out: string; offset: number };
    // The child really runs in India's zone: JavaScript alone would read 10:16 there as 04:46Z.
    expect(offset).to.equal(-330);
    expect(out).to.equal('2026-11-27T10:16:41.000Z 2026-11-30T10:16:41.000Z 2026-11-27T10:16:00.000Z');
  });
});
