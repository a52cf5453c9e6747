import { resolve } from 'node:path';
import type { Settings } from './env.js';

/**
 * The store as people should see it in a log line or a message: the SQLite file with its full
 * path (a relative RELAY_DB depends on the working directory), or the PostgreSQL server and
 * database without user or password.
 */
export function describeDb(db: Settings['db']): string {
  if (db.engine === 'sqlite') return db.path === ':memory:' ? 'sqlite::memory:' : `sqlite:${resolve(db.path)}`;
  try {
    const u = new URL(db.url);
    const schema = u.searchParams.get('schema');
    return `postgres://${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}${schema ? `?schema=${schema}` : ''}`;
  } catch {
    return 'postgres (RELAY_DB is not a readable URL)';
  }
}
