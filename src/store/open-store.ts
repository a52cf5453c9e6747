import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Settings } from '../config/env.js';
import { StoreUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** The engine the settings name, opened and migrated, ready for ingest and claim. */
export async function openStore(db: Settings['db'], opts: { logger?: Logger } = {}): Promise<Store> {
  if (db.engine === 'postgres') return openPostgres(db.url, opts.logger);
  // Nothing to set up: the default file lives under ./data/, created on first start.
  if (db.path !== ':memory:') {
    try {
      mkdirSync(dirname(resolve(db.path)), { recursive: true });
    } catch (err) {
      throw new StoreUnavailableError(`cannot create the directory of ${db.path}: ${(err as Error).message}`);
    }
  }
  const store = new SqliteStore(db.path, { logger: opts.logger });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  opts.logger?.info({ engine: 'sqlite', path: db.path }, 'store ready');
  return store;
}

/** `?schema=name` in the URL puts the relay's tables in that schema (created if missing). */
async function openPostgres(url: string, logger?: Logger): Promise<Store> {
  const store = new PostgresStore(url, { logger, schema: urlParam(url, 'schema') });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  // Never the URL itself: it may carry a password.
  logger?.info({ engine: 'postgres', server: serverOf(url) }, 'store ready');
  return store;
}

function urlParam(url: string, name: string): string | undefined {
  try {
    return new URL(url).searchParams.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
