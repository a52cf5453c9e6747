import type { ValueMatcher } from '../config/rules-types.js';
import { compileGlob, isGlob } from './glob.js';
import { compileRuleRegex } from './rule-regex.js';

export interface ConditionProblem {
  /** Where inside the condition, e.g. [1] for the second entry of a list, ['not', 'regex']. */
  path: (string | number)[];
  message: string;
}

/**
 * Compiles one `when` condition: an exact value or glob (numbers and booleans compare as their
 * text), a list (any of), `{ regex }` (RE2, unanchored, as JavaScript's RegExp.test) or `{ not }`.
 * A field that is missing (or null) matches nothing but a `not`; an array field (such as `files`)
 * matches when any of its elements does.
 */
export function compileCondition(source: unknown): { test: ValueMatcher; problems: ConditionProblem[] } {
  const problems: ConditionProblem[] = [];
  const test = build(source, [], problems);
  return { test, problems };
}

const never: ValueMatcher = () => false;

function build(source: unknown, at: (string | number)[], problems: ConditionProblem[]): ValueMatcher {
  if (typeof source === 'string' || typeof source === 'number' || typeof source === 'boolean') {
    const text = String(source);
    if (typeof source !== 'string' || !isGlob(text)) return leaf((s) => s === text);
    try {
      return leaf(compileGlob(text));
    } catch (err) {
      problems.push({ path: at, message: (err as Error).message });
      return never;
    }
  }
  if (Array.isArray(source)) {
    const any = source.map((s, i) => build(s, [...at, i], problems));
    return (v) => any.some((m) => m(v));
  }
  if (source !== null && typeof source === 'object') {
    const o = source as Record<string, unknown>;
    if ('not' in o) {
      const inner = build(o.not, [...at, 'not'], problems);
      return (v) => !inner(v);
    }
    if (typeof o.regex === 'string') {
      try {
        return leaf(compileRuleRegex(o.regex, typeof o.flags === 'string' ? o.flags : ''));
      } catch (err) {
        problems.push({ path: [...at, 'regex'], message: (err as Error).message });
        return never;
      }
    }
  }
  problems.push({ path: at, message: 'not a condition: use a value or glob, a list, {regex: ...} or {not: ...}' });
  return never;
}

/** Lifts a test on text to any event value: scalars as text, arrays by any element. */
function leaf(test: (s: string) => boolean): ValueMatcher {
  const one = (v: unknown): boolean => {
    if (typeof v === 'string') return test(v);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return test(String(v));
    return false;
  };
  return (v) => (Array.isArray(v) ? v.some(one) : one(v));
}
