import { RE2JS } from 're2js';

/**
 * A glob as admins write them for event fields: `*` any run of characters (empty too), `?` one
 * character, `\` makes the next character literal. Anchored and case-sensitive. Compiled to
 * RE2 (linear time: a glob of many `*` cannot make a long value slow). Throws on a trailing lone
 * `\`, the one way such a glob can be malformed.
 */
export function compileGlob(glob: string): (s: string) => boolean {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') {
      const next = glob[i + 1];
      if (next === undefined) throw new Error(`glob "${glob}" ends with an unfinished escape "\\"`);
      out += RE2JS.quote(next);
      i++;
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += RE2JS.quote(c);
  }
  const re = RE2JS.compile(out, RE2JS.DOTALL);
  return (s) => re.testExact(s);
}

export function isGlob(s: string): boolean {
  return /[*?\\]/.test(s);
}
