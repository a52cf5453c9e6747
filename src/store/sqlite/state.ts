import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

export function getState(db: Database, key: string): string | null {
  const row = prepared(db, 'SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/**
 * The first writer wins; every caller learns the value in force (two workers agree on one Slack
 * thread). A caller that finds the key still touches updated_at: it is using the value (an email
 * session's next message threads under its root), so retention must count from now.
 */
export function putStateIfAbsent(db: Database, key: string, value: string, now: number): string {
  return db
    .transaction(() => {
      prepared(db, 'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET updated_at = max(state.updated_at, excluded.updated_at)').run(
        key,
        value,
        now,
      );
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

/** Forgets the state of sessions idle since before `before` (retention). Returns how many rows went. */
export function purgeState(db: Database, before: Date): number {
  return prepared(db, 'DELETE FROM state WHERE updated_at < ?').run(before.getTime()).changes;
}
