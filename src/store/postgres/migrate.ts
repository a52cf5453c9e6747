import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { inTransaction, LOCK, lockOnSchema } from './db.js';

/** The build copies these .sql files next to the compiled js, so the same URL works from src and dist. */
export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

const FILE = /^(\d{3})_[\w-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
    .map((name) => ({ version: Number(FILE.exec(name)![1]), name, sql: readFileSync(new URL(name, dir), 'utf8') }));
}

const TRACK = 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())';

/**
 * Applies, in order, the migrations not yet recorded in schema_migrations, each in its own
 * transaction under an advisory lock: a second relay starting at the same moment waits, then
 * finds it done (even CREATE ... IF NOT EXISTS races without the lock). A migration that fails
 * rolls back whole and stays unrecorded. `schema` is created if missing. Returns the names applied.
 */
export async function migrate(pool: pg.Pool, migrations: Migration[] = loadMigrations(), schema?: string): Promise<string[]> {
  const applied: string[] = [];
  for (const m of migrations) {
    await inTransaction(pool, async (db) => {
      await db.query(lockOnSchema(LOCK.migrate));
      if (schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await db.query(TRACK);
      if ((await db.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version])).rowCount) return;
      await db.query(m.sql);
      await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    });
  }
  return applied;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
