import { expect } from 'chai';
import { compileCondition } from '../../../src/routing/match.js';
import { getPath } from '../../../src/routing/get-path.js';
import { exampleView } from './example-events.js';

const m = (cond: unknown): ((v: unknown) => boolean) => {
  const { test, problems } = compileCondition(cond);
  expect(problems, 'compile problems').to.deep.equal([]);
  return test;
};

describe('routing/match compileCondition', () => {
  it('exact strings match whole values, case-sensitively', () => {
    const t = m('recording');
    expect(t('recording')).to.equal(true);
    expect(t('recordings')).to.equal(false);
    expect(t('Recording')).to.equal(false);
    expect(t('')).to.equal(false);
  });

  it('numbers and booleans compare as their text, on either side', () => {
    expect(m(1)('1')).to.equal(true);
    expect(m(1)(1)).to.equal(true);
    expect(m('1')(1)).to.equal(true);
    expect(m(1)('01')).to.equal(false);
    expect(m(true)(true)).to.equal(true);
    expect(m(true)('true')).to.equal(true);
    expect(m(true)(false)).to.equal(false);
  });

  it('globs: * any run (empty too), ? one character, anchored at both ends', () => {
    const t = m('64f0*');
    expect(t('64f0c1a2')).to.equal(true);
    expect(t('64f0')).to.equal(true);
    expect(t('x64f0c1')).to.equal(false);
    const q = m('rec-?.mkv');
    expect(q('rec-1.mkv')).to.equal(true);
    expect(q('rec-12.mkv')).to.equal(false);
    expect(q('rec-.mkv')).to.equal(false);
    expect(m('*.mp4')('https://x/a/b/final-1.mp4')).to.equal(true);
    expect(m('a.c')('abc'), 'a dot is literal').to.equal(false);
    expect(m('file(1)*')('file(1).txt'), 'regex characters are literal').to.equal(true);
    expect(m('A*')('abc'), 'case-sensitive').to.equal(false);
  });

  it('a backslash escapes * and ? in globs', () => {
    expect(m('what\\?')('what?')).to.equal(true);
    expect(m('what\\?')('whatX')).to.equal(false);
    expect(m('\\*')('*')).to.equal(true);
    expect(m('\\*')('x')).to.equal(false);
  });

  it('"*" matches any present value, but never a missing or null field', () => {
    const t = m('*');
    expect(t('anything')).to.equal(true);
    expect(t('')).to.equal(true);
    expect(t(0)).to.equal(true);
    expect(t(undefined)).to.equal(false);
    expect(t(null)).to.equal(false);
    expect(t({ name: 'x' }), 'an object is not a value').to.equal(false);
  });

  it('lists match when any entry does, entries being any condition', () => {
    const t = m(['recording', 'trans*', { regex: '^file-' }]);
    expect(t('recording')).to.equal(true);
    expect(t('transcoded')).to.equal(true);
    expect(t('file-transfer')).to.equal(true);
    expect(t('roomdrop')).to.equal(false);
  });

  it('regex is unanchored (RegExp.test), anchors and flags are honoured', () => {
    expect(m({ regex: 'cord' })('recording')).to.equal(true);
    expect(m({ regex: '^cord' })('recording')).to.equal(false);
    expect(m({ regex: '^debug-' })('DEBUG-1')).to.equal(false);
    expect(m({ regex: '^debug-', flags: 'i' })('DEBUG-1')).to.equal(true);
    expect(m({ regex: '^[0-9]{8,}$' })(48213377)).to.equal(true);
  });

  it('regex runs in linear time: the catastrophic ^([0-9a-f]+)*$ on 10k characters answers at once', () => {
    // A backtracking engine takes longer than the universe's age on these; RE2 reads each once.
    // Bounded by mocha's timeout, not timed: a regression hangs the test.
    const t = m({ regex: '^([0-9a-f]+)*$' });
    expect(t('0123456789abcdef'.repeat(625))).to.equal(true);
    expect(t(`${'a'.repeat(10_000)}!`)).to.equal(false);
    expect(m({ regex: '^(a|a)*$' })(`${'a'.repeat(10_000)}b`)).to.equal(false);
    expect(m({ regex: '(x+x+)+y' })('x'.repeat(10_000))).to.equal(false);
  });

  it('globs run in linear time too: many stars on a long value', () => {
    const t = m('*a*a*a*a*a*a*a*a*b');
    expect(t('a'.repeat(50_000))).to.equal(false);
    expect(t(`${'a'.repeat(50_000)}b`)).to.equal(true);
  });

  it('regex flags: s lets . match a newline, m anchors lines, u changes nothing, others are refused', () => {
    expect(m({ regex: '^a.b$' })('a\nb')).to.equal(false);
    expect(m({ regex: '^a.b$', flags: 's' })('a\nb')).to.equal(true);
    expect(m({ regex: '^b$', flags: 'm' })('a\nb')).to.equal(true);
    expect(m({ regex: '^.$', flags: 'u' })('\u{1F600}')).to.equal(true);
    expect(compileCondition({ regex: 'a', flags: 'g' }).problems[0]?.message).to.match(/unknown regex flag "g"/);
  });

  it('not negates, and is the only thing a missing field satisfies', () => {
    const t = m({ not: 'awss3' });
    expect(t('ftp')).to.equal(true);
    expect(t('awss3')).to.equal(false);
    expect(t(undefined)).to.equal(true);
    const notAny = m({ not: ['roomdrop', 'recording'] });
    expect(notAny('recording')).to.equal(false);
    expect(notAny('participant-join')).to.equal(true);
    expect(m({ not: { not: 'x' } })('x')).to.equal(true);
  });

  it('an array value matches when any element matches; not holds when none does', () => {
    const files = ['https://x/rec-1.mkv', 'https://x/final.mp4'];
    expect(m('*.mp4')(files)).to.equal(true);
    expect(m('*.webm')(files)).to.equal(false);
    expect(m({ not: '*.mp4' })(files)).to.equal(false);
    expect(m({ not: '*.webm' })(files)).to.equal(true);
    expect(m('*')([])).to.equal(false);
  });

  it('reports a regex or glob that does not compile, with where inside the condition', () => {
    expect(compileCondition({ regex: '^(abc' }).problems).to.deep.equal([
      { path: ['regex'], message: 'regex does not compile (RE2 syntax, as in Go and Alertmanager: no lookahead, lookbehind or backreferences): missing closing ): `^(abc`' },
    ]);
    // JavaScript accepts these; RE2 (linear time) does not, and says so.
    for (const regex of ['a(?=b)', '(?<!x)y', '(a)\\1']) expect(compileCondition({ regex }).problems[0]?.message, regex).to.match(/^regex does not compile \(RE2 syntax/);
    const nested = compileCondition(['ok', { not: 'abc\\' }]).problems;
    expect(nested).to.have.length(1);
    expect(nested[0]?.path).to.deep.equal([1, 'not']);
    expect(nested[0]?.message).to.match(/unfinished escape/);
    const { test } = compileCondition(['ok', 'abc\\']);
    expect(test('abc\\'), 'a broken entry never matches').to.equal(false);
    expect(test('ok')).to.equal(true);
  });
});

describe('routing/get-path getPath', () => {
  const view = exampleView('file-transfer');

  it('reads top-level and dotted paths', () => {
    expect(getPath(view, 'type')).to.equal('file-transfer');
    expect(getPath(view, 'destination.name')).to.equal('awss3');
    expect(getPath(view, 'destination.nope')).to.equal(undefined);
    expect(getPath(view, 'type.length'), 'no properties of strings').to.equal(undefined);
  });

  it('never reads inherited properties', () => {
    expect(getPath(view, 'constructor')).to.equal(undefined);
    expect(getPath(view, '__proto__')).to.equal(undefined);
    expect(getPath(view, 'destination.toString')).to.equal(undefined);
  });

  it('indexes arrays by number and collects a field across their elements', () => {
    const body = { files: [{ url: 'a' }, { url: 'b' }, { other: 1 }], nested: [{ list: ['x', 'y'] }, { list: ['z'] }] };
    expect(getPath(body, 'files.1.url')).to.equal('b');
    expect(getPath(body, 'files.url')).to.deep.equal(['a', 'b']);
    expect(getPath(body, 'nested.list')).to.deep.equal(['x', 'y', 'z']);
    expect(getPath(body, 'files.nope')).to.equal(undefined);
  });
});
