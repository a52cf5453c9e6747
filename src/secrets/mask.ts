export const MASK = '[redacted]';

/** Secrets shorter than this would mask ordinary text (ids, words) everywhere. */
export const MIN_SECRET = 4;

/**
 * A secret shorter than this could also be a word or part of one (`secret` in `signing_secret`):
 * it is masked only where it stands whole, not inside a longer word. Longer ones are masked
 * wherever they appear: no message or identifier holds them by chance.
 */
export const WHOLE_WORD_BELOW = 16;

export interface SecretMask {
  /** No usable secret: every method returns its input. */
  readonly empty: boolean;
  /** The text with every secret masked, also where it sits JSON-escaped (a JSON body inside a message). */
  text(s: string): string;
  /**
   * Finished JSON text (a log line) with the JSON-escaped forms of the secrets that JSON escapes
   * masked. Plain forms are left alone on purpose: a secret such as `true` or `8443` would
   * otherwise be replaced inside numbers, literals and keys, and break the line.
   */
  jsonLine(line: string): string;
}

const NONE: SecretMask = { empty: true, text: (s) => s, jsonLine: (l) => l };

// Built once per list: the logger asks per line, and the list only changes on a rules reload.
const cache = new WeakMap<readonly string[], { length: number; mask: SecretMask }>();

/**
 * The mask for a list of secrets, cached by the list's identity: callers hand over a new array
 * when secrets change rather than mutating one (a length change is caught as well).
 */
export function secretMask(secrets: readonly string[]): SecretMask {
  const hit = cache.get(secrets);
  if (hit && hit.length === secrets.length) return hit.mask;
  const mask = buildMask(secrets);
  cache.set(secrets, { length: secrets.length, mask });
  return mask;
}

function buildMask(secrets: readonly string[]): SecretMask {
  const plain = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET))];
  if (plain.length === 0) return NONE;
  const escaped = plain.map(jsonEscaped).filter((e, i) => e !== plain[i]);
  const any = alternation([...plain, ...escaped]);
  const inJson = escaped.length > 0 ? alternation(escaped) : null;
  return {
    empty: false,
    text: (s) => (s.length < MIN_SECRET ? s : s.replace(any, MASK)),
    jsonLine: (line) => (inJson ? maskOnEscapeBoundaries(line, inJson) : line),
  };
}

/**
 * Replaces the matches of `re` that start on an escape boundary (an even run of backslashes
 * before them), or the replacement could split an escape pair and leave the line invalid JSON.
 * Linear in the line: the parity of each backslash run is read in one pass, never by looking
 * behind each match (a lookbehind over runs of backslashes, which an event can send, took
 * quadratic time).
 */
function maskOnEscapeBoundaries(line: string, re: RegExp): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let scanned = 0;
  let run = 0; // backslashes just before `scanned`
  for (let m = re.exec(line); m; m = re.exec(line)) {
    for (; scanned < m.index; scanned++) run = line.charCodeAt(scanned) === 92 ? run + 1 : 0;
    if (run % 2 === 1) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out += line.slice(last, m.index) + MASK;
    last = m.index + m[0].length;
    re.lastIndex = last;
  }
  return out + line.slice(last);
}

/** One pass, longest first: a secret inside another goes with it, and a mask is never re-masked. */
function alternation(needles: string[]): RegExp {
  const sorted = [...new Set(needles)].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(whole).join('|'), 'g');
}

const WORD = /[A-Za-z0-9_]/;

/** A short needle matches only where no word character continues it on either side. */
function whole(needle: string): string {
  const body = escapeRegExp(needle);
  if (needle.length >= WHOLE_WORD_BELOW) return body;
  const before = WORD.test(needle[0] ?? '') ? '(?<![A-Za-z0-9_])' : '';
  const after = WORD.test(needle[needle.length - 1] ?? '') ? '(?![A-Za-z0-9_])' : '';
  return `${before}${body}${after}`;
}

function jsonEscaped(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
