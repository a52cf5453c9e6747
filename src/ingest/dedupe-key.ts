import crypto from 'node:crypto';

/**
 * The same notification sent twice (EnableX retrying, a proxy replaying) gives the same key even
 * if its whitespace or key order changed; any difference in content gives another key.
 * sha256 hex of the body's canonical JSON: object keys sorted (by UTF-16 code units) at every
 * depth, no whitespace. Depth is bounded by parseBody, so the recursion is too.
 */
export function dedupeKey(body: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(body));
}

// crypto.hash (Node 20.12+) hashes in one call, at about half the cost of a Hash object.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
const sha256Hex = (s: string): string => (oneShot ? oneShot('sha256', s, 'hex') : crypto.createHash('sha256').update(s, 'utf8').digest('hex'));

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // Built as a string, never as a new object: copying a `__proto__` key into an object literal
    // by assignment would set its prototype instead of keeping the key.
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  // JSON.stringify of a number already folds 1.0 and 1e0 into 1, as JSON.parse did.
  return JSON.stringify(value) ?? 'null';
}
