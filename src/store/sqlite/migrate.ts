import { readdirSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

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

/**
 * Applies, in order, the migrations not yet recorded in schema_migrations, each in its own
 * IMMEDIATE transaction: a second process starting at the same moment waits, then sees it done.
 * Returns the names applied.
 */
export function migrate(db: Database, migrations: Migration[] = loadMigrations()): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied: string[] = [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    db.transaction(() => {
      if (isApplied.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      applied.push(m.name);
    }).immediate();
  }
  return applied;
}
