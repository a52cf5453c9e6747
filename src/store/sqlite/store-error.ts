import { StoreUnavailableError } from '../../errors.js';

// Result codes (primary part) that mean "the database cannot take this right now", as opposed to
// a bug in what we asked of it (constraint, misuse), which keeps its own error.
const UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_PROTOCOL', 'SQLITE_NOMEM', 'SQLITE_PERM', 'SQLITE_INTERRUPT', 'SQLITE_ABORT']);

/** Maps a better-sqlite3 failure to StoreUnavailableError when the disk, a lock or a closed connection caused it. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const primary = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
    if (UNAVAILABLE.has(primary)) return new StoreUnavailableError(`${code}: ${(err as Error).message}`);
  }
  // better-sqlite3 throws a TypeError once the connection is closed.
  if (err instanceof TypeError && /database connection is not open/i.test(err.message)) {
    return new StoreUnavailableError('the database is closed');
  }
  return err;
}
