import { MASK, MIN_SECRET, secretMask } from '../../secrets/mask.js';

/** The text with every secret masked (also JSON-escaped), longest first, in one pass. */
export function redactText(text: string, secrets: readonly string[]): string {
  return secretMask(secrets).text(text);
}

/**
 * A JSON answer with every string (keys too) masked. Works on the JSON form, so Dates, Buffers
 * and toJSON() give what the client would have seen.
 */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  const mask = secretMask(secrets);
  if (mask.empty || value === undefined) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mask.text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [mask.text(k), walk(x)]));
    }
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value)));
}

/**
 * Raw bytes (an event or rejected body, before base64) with every secret's UTF-8 bytes masked,
 * and its JSON-escaped form too: a body is JSON, where `"` and `\` in a secret arrive escaped.
 */
export function redactBytes(bytes: Buffer, secrets: readonly string[]): Buffer {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET) continue;
    needles.add(s);
    needles.add(JSON.stringify(s).slice(1, -1));
  }
  let out = bytes;
  for (const s of [...needles].sort((a, b) => b.length - a.length)) {
    const needle = Buffer.from(s, 'utf8');
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = out.indexOf(needle, from); at !== -1; at = out.indexOf(needle, from)) {
      parts.push(out.subarray(from, at), Buffer.from(MASK));
      from = at + needle.length;
    }
    if (parts.length > 0) out = Buffer.concat([...parts, out.subarray(from)]);
  }
  return out;
}
