/**
 * A glob as admins write them for event fields: `*` any run of characters (empty too), `?` one
 * character, `\` makes the next character literal. Anchored and case-sensitive. Throws on a
 * trailing lone `\`, the one way such a glob can be malformed.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') {
      const next = glob[i + 1];
      if (next === undefined) throw new Error(`glob "${glob}" ends with an unfinished escape "\\"`);
      out += escapeRegExp(next);
      i++;
    } else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

export function isGlob(s: string): boolean {
  return /[*?\\]/.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
