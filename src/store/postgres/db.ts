import type pg from 'pg';

/** What one SQL operation needs: the pool (autocommit, one statement) or a client inside a transaction. */
export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string | NamedQuery, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * A statement the server prepares once per connection and then only executes: the hot ones
 * (ingest, claim, results) are planned in a fraction of a millisecond, which is most of their
 * execution time.
 */
export interface NamedQuery {
  name: string;
  text: string;
}

export const named = (name: string, text: string): NamedQuery => ({ name, text });

/**
 * Runs `fn` in one transaction on one pooled connection. A connection that failed (or failed
 * even to roll back) is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection lost while checked out is also emitted as 'error' (its query fails too); with
  // no listener that event would crash the process.
  const onError = (err: Error): void => void (broken = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/**
 * Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)); the second key is
 * a hashtext(). Transaction-level locks end with the transaction, so a crashed relay never leaves
 * one held.
 */
export const LOCK = {
  migrate: 0x656e7801,
} as const;

/** Locks scoped to the relay's tables: relays on other schemas of the same database do not wait on each other. */
export const lockOnSchema = (ns: number): string => `SELECT pg_advisory_xact_lock(${ns}, hashtext(current_setting('search_path')))`;

/** PostgreSQL text cannot hold NUL; a body may (JSON "\u0000"). The json and bytea columns keep the exact original. */
export const noNul = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' && s.includes('\0') ? (s.replaceAll('\0', '\uFFFD') as T) : s);
