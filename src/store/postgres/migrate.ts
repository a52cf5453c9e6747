import { loadMigrations as loadSharedMigrations, type Migration } from '../load-migrations.js';
import type pg from 'pg';
import { inTransaction, LOCK, lockOnSchema } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** This engine's migrations, in order. */
export const loadMigrations = (): Migration[] => loadSharedMigrations(MIGRATIONS_DIR);

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
