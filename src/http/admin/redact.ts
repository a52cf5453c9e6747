const MASK = '[redacted]';

/** Secrets shorter than this would mask ordinary text; the logger uses the same floor. */
const MIN_SECRET = 4;

const usable = (secrets: string[]): string[] => [...new Set(secrets.filter((s) => s.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);

/** The text with every secret masked. Longest first, so a secret inside another goes with it. */
export function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const s of usable(secrets)) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/**
 * A JSON answer with every string (keys too) masked. Works on the JSON form, so Dates, Buffers
 * and toJSON() give what the client would have seen.
 */
export function redactJson(value: unknown, secrets: string[]): unknown {
  const list = usable(secrets);
  if (list.length === 0 || value === undefined) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactText(k, list), walk(x)]));
    }
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value)));
}

/** Raw bytes (an event or rejected body, before base64) with every secret's UTF-8 bytes masked. */
export function redactBytes(bytes: Buffer, secrets: string[]): Buffer {
  let out = bytes;
  for (const s of usable(secrets)) {
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
