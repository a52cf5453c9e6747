import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Settings } from '../../src/config/env.js';
import { onAbort } from './children.js';
import { benchTempDir } from './temp.js';

export type Engine = 'sqlite' | 'postgres';

export const PG_URL = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database for one run: a SQLite file in a temp dir, or a fresh PostgreSQL schema. */
export interface BenchDb {
  engine: Engine;
  /** RELAY_DB */
  relayDb: string;
  settings: Settings['db'];
  /** A temp dir for the run's other files (rules). */
  dir: string;
  /** Deletes the file, or drops the schema. */
  drop(): Promise<void>;
}

export async function freshDb(engine: Engine): Promise<BenchDb> {
  const tmp = benchTempDir('enx-bench-');
  const dir = tmp.dir;
  if (engine === 'sqlite') {
    const path = join(dir, 'relay.db');
    return { engine, relayDb: `sqlite:${path}`, settings: { engine, path }, dir, drop: async () => tmp.remove() };
  }
  const schema = `enx_bench_${randomBytes(5).toString('hex')}`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  const dropSchema = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  const unregister = onAbort(dropSchema);
  return {
    engine,
    relayDb: url,
    settings: { engine, url },
    dir,
    async drop() {
      tmp.remove();
      unregister();
      await dropSchema();
    },
  };
}

/** Throws a readable error when PostgreSQL does not answer. */
export async function checkPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(`PostgreSQL at ${PG_URL} does not answer (${(err as Error).message}); set BENCH_PG_URL or skip with --engines sqlite`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
