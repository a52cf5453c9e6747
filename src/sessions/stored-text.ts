/**
 * Text as both engines keep it: PostgreSQL text holds no NUL (db.ts noNul writes U+FFFD) and no
 * lone surrogate (UTF-8 has none: U+FFFD). SQLite would keep a NUL and read a lone surrogate back
 * as three U+FFFD; session records are written through this on both, so they read back alike.
 */
export function storedText(s: string): string {
  return s.replaceAll('\0', '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
