import { expect } from 'chai';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { RulesHolder } from '../../../src/config/rules-holder.js';
import type { Rules } from '../../../src/config/rules-types.js';
import { RulesInvalidError, type ErrorDetail } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';

const rulesTo = (dest: string): string => `version: 1\ndestinations:\n  ${dest}:\n    log: {}\nfallback: ${dest}\n`;
const BAD = 'version: 1\ndestinations:\n  console:\n    log: {}\nfallback: nowhere\n';

/** Resolves with the next value a hook gives; fails the test if none comes within `ms`. */
function next<T>(subscribe: (cb: (v: T) => void) => () => void, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event within ${ms} ms`));
    }, ms);
    const off = subscribe((v) => {
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

describe('config/rules-holder RulesHolder', () => {
  let dir: string;
  let file: string;
  let lines: string[];
  let holder: RulesHolder | null;
  const open = (env: Record<string, string> = {}): Promise<RulesHolder> => {
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    return RulesHolder.open(file, { env, logger, debounceMs: 20 }).then((h) => (holder = h));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enx-rules-'));
    file = join(dir, 'rules.yaml');
    lines = [];
    holder = null;
  });
  afterEach(() => {
    holder?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('throws RulesInvalidError with every error when the first load fails', async () => {
    writeFileSync(file, BAD);
    const err = await open().then(
      () => expect.fail('must throw'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RulesInvalidError);
    expect((err as RulesInvalidError).details).to.deep.equal([{ path: `${file}:5:11`, message: 'fallback "nowhere" is not a defined destination' }]);
  });

  it('refuses a bad reload: the last good rules stay, the errors are logged and shown in status', async () => {
    writeFileSync(file, rulesTo('console'));
    const h = await open();
    const good = h.current();
    const rejected = next<ErrorDetail[]>((cb) => h.onReject(cb));
    let changes = 0;
    h.onChange(() => changes++);

    writeFileSync(file, BAD);
    const r = await h.reload();
    expect(r.ok).to.equal(false);
    expect(h.current()).to.equal(good);
    expect(changes).to.equal(0);
    expect(await rejected).to.have.length(1);
    const status = h.status();
    expect(status).to.include({ file, hash: good.hash, loadedAt: good.loadedAt });
    expect(status.lastError?.errors).to.deep.equal([{ path: `${file}:5:11`, message: 'fallback "nowhere" is not a defined destination' }]);
    expect(lines.some((l) => l.includes('rules file refused') && l.includes('nowhere'))).to.equal(true);

    // A good file again: it replaces the rules and clears the error.
    writeFileSync(file, rulesTo('ops'));
    const again = await h.reload();
    expect(again.ok).to.equal(true);
    expect(h.current().fallback).to.equal('ops');
    expect(h.status().lastError).to.equal(null);
    expect(changes).to.equal(1);
  });

  it('a reload of unchanged content changes nothing and calls no listener', async () => {
    writeFileSync(file, rulesTo('console'));
    const h = await open();
    const before = h.current();
    let changes = 0;
    h.onChange(() => changes++);
    const r = await h.reload();
    expect(r.ok && r.rules).to.equal(before);
    expect(changes).to.equal(0);
  });

  it('reloads when an editor replaces the file by rename', async () => {
    writeFileSync(file, rulesTo('console'));
    const h = await open();
    h.watch();
    const changed = next<[Rules, Rules]>((cb) => h.onChange((rules, prev) => cb([rules, prev])));
    const tmp = join(dir, '.rules.yaml.swp');
    writeFileSync(tmp, rulesTo('renamed'));
    renameSync(tmp, file);
    const [rules, prev] = await changed;
    expect(rules.fallback).to.equal('renamed');
    expect(prev.fallback).to.equal('console');
    expect(h.current()).to.equal(rules);
  });

  it('reloads when the file is written in place, and keeps watching after a refused save', async () => {
    writeFileSync(file, rulesTo('console'));
    const h = await open();
    h.watch();
    const rejected = next<ErrorDetail[]>((cb) => h.onReject(cb));
    writeFileSync(file, BAD);
    expect((await rejected)[0]?.message).to.match(/nowhere/);
    expect(h.current().fallback).to.equal('console');

    const changed = next<Rules>((cb) => h.onChange(cb));
    writeFileSync(file, rulesTo('fixed'));
    expect((await changed).fallback).to.equal('fixed');
  });

  it('serializes reloads and reports new substituted values as a change', async () => {
    writeFileSync(file, 'version: 1\ndestinations:\n  hook:\n    http: { url: "https://x.example.com", signing_secret: "${SECRET}" }\nfallback: hook\n');
    const env: Record<string, string> = { SECRET: 'whsec_first' };
    const h = await open(env);
    const seen: string[][] = [];
    h.onChange((r) => seen.push(r.secrets));
    env.SECRET = 'whsec_second';
    const [a, b] = await Promise.all([h.reload(), h.reload()]);
    expect(a.ok && b.ok).to.equal(true);
    expect(seen).to.deep.equal([['whsec_second']]);
    expect(lines.join('')).not.to.include('whsec_');
  });
});
