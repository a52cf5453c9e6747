import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

export function getState(db: Database, key: string): string | null {
  const row = prepared(db, 'SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** The first writer wins; every caller learns the value in force (two workers agree on one Slack thread). */
export function putStateIfAbsent(db: Database, key: string, value: string, now: number): string {
  return db
    .transaction(() => {
      prepared(db, 'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING').run(key, value, now);
      return getState(db, key)!;
    })
    .immediate();
}

export function setState(db: Database, key: string, value: string, now: number): void {
  prepared(db, 'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    key,
    value,
    now,
  );
}
