import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Settings } from '../config/env.js';
import { ConfigInvalidError, StoreUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** The engine the settings name, opened and migrated, ready for ingest and claim. */
export async function openStore(db: Settings['db'], opts: { logger?: Logger } = {}): Promise<Store> {
  if (db.engine === 'postgres') {
    throw new ConfigInvalidError('RELAY_DB', 'the postgres engine is not implemented yet; use sqlite:<path>');
  }
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
