import { createRequire } from 'node:module';
import type pg from 'pg';

let driver: typeof pg | null = null;

/**
 * The pg driver, loaded on first use: a relay on the embedded default (SQLite) starts without
 * it. A synchronous require (pg is CommonJS), so callers stay synchronous.
 */
export function pgDriver(): typeof pg {
  return (driver ??= createRequire(import.meta.url)('pg') as typeof pg);
}
