/**
 * Characters that can break a line or take over a terminal: C0 controls, DEL, C1 controls (U+009B
 * is CSI in many terminals), the Unicode line and paragraph separators, and bidirectional
 * overrides (they reorder what a reader sees). Event values carry them at will.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same set minus what JSON.stringify already escapes (below U+0020). */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text with every control character shown as an escape (`\n`, `\u001b`): one line, inert on a terminal. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => SHORT[c] ?? hex(c));
}

/**
 * Finished JSON text with the control characters JSON leaves raw written as `\uXXXX` escapes.
 * Outside strings JSON text is ASCII, so each match sits inside a string, where the escape means
 * the same character: the line parses to the same value.
 */
export function escapeControlInJson(line: string): string {
  return line.replace(RAW_IN_JSON, hex);
}

/** A JSON-like value with every string (keys too) passed through escapeControl. */
export function escapeControlDeep(v: unknown): unknown {
  if (typeof v === 'string') return escapeControl(v);
  if (Array.isArray(v)) return v.map(escapeControlDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeControl(k), escapeControlDeep(x)]));
  }
  return v;
}
