import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { storeError } from './store-error.js';

export interface SqliteOptions {
  /** How long a writer waits for another process's lock before giving up (SQLITE_BUSY -> 503). */
  busyTimeoutMs?: number;
}

/**
 * Opens the file with the relay's durability settings. WAL lets readers (admin API, purge) run
 * beside the writer; synchronous=FULL syncs the WAL at every commit, so a committed event
 * survives power loss and the 200 sent after it is honest.
 */
export function openSqlite(path: string, opts: SqliteOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw storeError(err);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db.close();
    throw storeError(err);
  }
}
