import { stdSerializers } from 'pino';
import { MASK, type SecretMask } from './mask.js';

/** Keys whose values are credentials whatever they hold, in any case (Authorization, x-api-key, ...). */
export const SENSITIVE_KEY = /authorization|pass(?:word|wd|phrase)|secret|token|cookie|api[-_]?key|credential/i;

/** Deeper than any log object needs; past it a value is replaced rather than printed unchecked. */
const MAX_DEPTH = 10;

/**
 * A value as it is about to be logged, with every secret masked in its strings (keys too), the
 * values under credential-like keys masked whole, and Errors turned into pino's `{ type, message,
 * stack }` form (causes included) so their text is masked too. Returns the input itself when
 * nothing changed: most log lines allocate nothing here.
 */
export function maskDeep(value: unknown, mask: SecretMask): unknown {
  const ancestors = new Set<object>();

  const walk = (v: unknown, depth: number, forced: boolean): unknown => {
    if (typeof v === 'string') return forced ? (v === '' ? v : MASK) : mask.text(v);
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set) return v;
    if (ancestors.has(v)) return '[Circular]';
    if (depth >= MAX_DEPTH) return Array.isArray(v) ? '[Array]' : '[Object]';
    ancestors.add(v);
    try {
      if (v instanceof Error) return walkObject(stdSerializers.err(v) as object, depth, forced, true);
      const json = (v as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') {
        // What JSON.stringify would print (a URL's href may hold a password).
        const shown: unknown = json.call(v);
        const out = walk(shown, depth + 1, forced);
        return out === shown ? v : out;
      }
      if (Array.isArray(v)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          const y = walk(x, depth + 1, forced);
          if (y !== x) (copy ??= [...v])[i] = y;
        }
        return copy ?? v;
      }
      return walkObject(v, depth, forced, false);
    } finally {
      ancestors.delete(v);
    }
  };

  const walkObject = (v: object, depth: number, forced: boolean, copyAlways: boolean): unknown => {
    let changed = copyAlways;
    const entries: [string, unknown][] = [];
    for (const k of Object.keys(v)) {
      const x: unknown = (v as Record<string, unknown>)[k];
      const key = mask.text(k);
      const y = walk(x, depth + 1, forced || SENSITIVE_KEY.test(k));
      if (key !== k || y !== x) changed = true;
      entries.push([key, y]);
    }
    // fromEntries defines own properties: a `__proto__` key stays a key.
    return changed ? Object.fromEntries(entries) : v;
  };

  return walk(value, 0, false);
}
