import { RE2JS } from 're2js';

/** What `enx-relay check` and the README say about `{regex}` conditions. */
export const REGEX_SYNTAX = 'RE2 syntax, as in Go and Alertmanager: no lookahead, lookbehind or backreferences';

const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, s: RE2JS.DOTALL, m: RE2JS.MULTILINE, u: 0 };

/**
 * A rule's `{ regex, flags }` -> an unanchored test (as JavaScript's RegExp.test), on RE2: time
 * linear in the value's length whatever the pattern, so no event value can stall intake or the
 * worker (`^([0-9a-f]+)*$` is as fast as any). `u` is accepted and changes nothing: RE2 reads
 * code points anyway. Throws an Error whose message says why the pattern is refused.
 */
export function compileRuleRegex(pattern: string, flags = ''): (s: string) => boolean {
  let bits = 0;
  for (const f of flags) {
    const bit = FLAGS[f];
    if (bit === undefined) throw new Error(`unknown regex flag "${f}": use i, s, m or u`);
    bits |= bit;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch (err) {
    const why = String((err as Error).message ?? err).replace(/^error parsing regexp: /, '');
    throw new Error(`regex does not compile (${REGEX_SYNTAX}): ${why}`);
  }
  return (s) => re.test(s);
}
