import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Settings } from '../config/env.js';
import { StoreUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** The engine the settings name, opened and migrated, ready for ingest and claim. */
export async function openStore(db: Settings['db'], opts: { logger?: Logger; migrated?: (names: string[]) => void } = {}): Promise<Store> {
  if (db.engine === 'postgres') return openPostgres(db.url, opts);
  // Nothing to set up: the default file lives under ./data/, created on first start.
  if (db.path !== ':memory:') {
    try {
      makeParents(dirname(resolve(db.path)));
    } catch (err) {
      throw new StoreUnavailableError(`cannot create the directory of ${db.path}: ${(err as Error).message}`);
    }
  }
  const store = new SqliteStore(db.path, { logger: opts.logger });
  try {
    const applied = await store.migrate();
    opts.migrated?.(applied);
  } catch (err) {
    await store.close();
    throw err;
  }
  opts.logger?.info({ engine: 'sqlite', path: db.path }, 'store ready');
  return store;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns under /proc (it retries
 * the ENOENT there forever), and RELAY_DB=sqlite:/proc/... would hang the start.
 */
function makeParents(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeParents(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    // Another process made it meanwhile.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** `?schema=name` in the URL puts the relay's tables in that schema (created if missing). */
async function openPostgres(url: string, { logger, migrated }: { logger?: Logger; migrated?: (names: string[]) => void }): Promise<Store> {
  const store = new PostgresStore(url, { logger, schema: urlParam(url, 'schema') });
  try {
    const applied = await store.migrate();
    migrated?.(applied);
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
