import { loadMigrations as loadSharedMigrations, type Migration } from '../load-migrations.js';
import type { Database } from 'better-sqlite3';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** This engine's migrations, in order. */
export const loadMigrations = (): Migration[] => loadSharedMigrations(MIGRATIONS_DIR);

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
