import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import { ConfigInvalidError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export interface PoolOptions {
  /** Tables live in this schema (created by migrate) rather than the URL's search_path. */
  schema?: string;
  /** Connections at most (default 10). */
  max?: number;
  /** How long to wait for a connection before answering 503 (default 5000). */
  connectionTimeoutMillis?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** The connection settings of every connection the store opens: pooled and LISTEN alike. */
export function connectionConfig(url: string, opts: PoolOptions): pg.ClientConfig {
  if (opts.schema !== undefined && !SCHEMA.test(opts.schema)) throw new ConfigInvalidError('RELAY_DB', `schema "${opts.schema}" must match ${SCHEMA}`);
  return {
    connectionString: url,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5000,
    // A relay that vanishes mid-transaction must not hold its row and advisory locks for long.
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    // Names the relay (and its schema) in pg_stat_activity.
    application_name: opts.schema ? `enx-relay:${opts.schema}` : 'enx-relay',
  };
}

/** A pool whose idle connections may die (server restart) without crashing the process. */
export function openPool(url: string, opts: PoolOptions & { logger?: Pick<Logger, 'warn'> }): pg.Pool {
  const pool = new (pgDriver().Pool)({ ...connectionConfig(url, opts), max: opts.max ?? 10, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => opts.logger?.warn({ err: String(err) }, 'an idle PostgreSQL connection failed; the pool will open another'));
  // A connection handed from the pool to a waiting pool.connect() has no 'error' listener until
  // that caller's continuation runs, a microtask later; a server that ends the connection (a
  // terminated backend's FATAL, often in the same packet as the last query's answer) is heard in
  // between, and an 'error' nobody listens to kills the process. Every connection keeps this
  // listener for good: the error is not lost, since the client is no longer queryable, its next
  // query fails (a 503), and the pool destroys it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
