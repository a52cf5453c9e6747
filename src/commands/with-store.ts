import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describeDb } from '../config/describe-db.js';
import { loadSettings, type Settings } from '../config/env.js';
import { StoreUnavailableError } from '../errors.js';
import { connectionConfig } from '../store/postgres/open-pool.js';
import { pgDriver } from '../store/postgres/pg-driver.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { CommandFailure } from './command-errors.js';

/**
 * Open the store named by RELAY_DB for one command, and close it after. Only `serve` and
 * `migrate` may create a database (`create: true`): for every other command a missing one means
 * RELAY_DB or the working directory is wrong, and an empty new database would answer "no events".
 */
export async function withStore<T>(fn: (store: Store, settings: Settings) => Promise<T>, opts: { create?: boolean; migrated?: (names: string[]) => void } = {}): Promise<T> {
  const settings = loadSettings();
  if (!opts.create) await requireExisting(settings.db);
  let store: Store;
  try {
    store = await openStore(settings.db, { migrated: opts.migrated });
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw new CommandFailure(`cannot open the database ${describeDb(settings.db)} (RELAY_DB): ${reasonOf(err)}`);
    throw err;
  }
  try {
    return await fn(store, settings);
  } finally {
    await store.close();
  }
}

/** StoreUnavailableError's message minus its "try again" lead, which a command line cannot act on. */
export function reasonOf(err: StoreUnavailableError): string {
  return err.message.replace(/^the event store is unavailable, try again: /, '');
}

async function requireExisting(db: Settings['db']): Promise<void> {
  const where = describeDb(db);
  const hint = "set RELAY_DB to the relay's database, or run this where the relay runs; `enx-relay migrate` creates a new one";
  if (db.engine === 'sqlite') {
    if (db.path === ':memory:' || existsSync(db.path)) return;
    const relative = isAbsolute(db.path) ? '' : `, a path relative to ${process.cwd()}`;
    throw new CommandFailure(`no database at ${where} (RELAY_DB=sqlite:${db.path}${relative}): ${hint}`);
  }
  const schema = urlSchema(db.url);
  const client = new (pgDriver().Client)(connectionConfig(db.url, { schema }));
  let found: boolean;
  try {
    await client.connect();
    // The relay's own table: a wrong database or schema has none.
    const r = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
    found = r.rows[0]?.t != null;
  } catch (err) {
    throw new CommandFailure(`cannot open the database ${where} (RELAY_DB): ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!found) throw new CommandFailure(`no enx-relay tables in ${where} (RELAY_DB): ${hint}`);
}

function urlSchema(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('schema') ?? undefined;
  } catch {
    return undefined;
  }
}
