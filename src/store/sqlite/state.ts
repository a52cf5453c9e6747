import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

export const GET_STATE = 'SELECT value FROM state WHERE key = ?';
export const PUT_STATE_IF_ABSENT =
  'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET updated_at = max(state.updated_at, excluded.updated_at) RETURNING value';
export const SET_STATE = 'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at';

export function getState(db: Database, key: string): string | null {
  const row = prepared(db, GET_STATE).get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/**
 * The first writer wins; every caller learns the value in force (two workers agree on one Slack
 * thread). A caller that finds the key still touches updated_at: it is using the value (an email
 * session's next message threads under its root), so retention must count from now.
 */
export function putStateIfAbsent(db: Database, key: string, value: string, now: number): string {
  const row = prepared(db, PUT_STATE_IF_ABSENT).get(
    key,
    value,
    now,
  ) as { value: string };
  return row.value;
}

export function setState(db: Database, key: string, value: string, now: number): void {
  prepared(db, SET_STATE).run(
    key,
    value,
    now,
  );
}

export const STATE_BATCH = 500;
export const PURGE_STATE = `DELETE FROM state WHERE key IN (SELECT key FROM state WHERE updated_at < ? LIMIT ${STATE_BATCH})`;

/**
 * One batch of forgetting the state of sessions idle since before `before` (retention): at most
 * STATE_BATCH rows, found through state_updated_at. Returns how many went (fewer: done).
 */
export function purgeStateBatch(db: Database, before: Date): number {
  return prepared(db, PURGE_STATE).run(before.getTime()).changes;
}
