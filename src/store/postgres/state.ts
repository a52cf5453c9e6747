import { noNul, type Db } from './db.js';

export async function getState(db: Db, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM state WHERE key = $1', [noNul(key)]);
  return rows[0]?.value ?? null;
}

/**
 * The first writer wins; every caller learns the value in force (two workers agree on one Slack
 * thread). ON CONFLICT waits for a concurrent inserter of the same key to commit, so the SELECT
 * that follows (a new snapshot) sees the winner's row.
 */
export async function putStateIfAbsent(db: Db, key: string, value: string, now: Date): Promise<string> {
  const inserted = await db.query<{ value: string }>('INSERT INTO state (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING value', [
    noNul(key),
    noNul(value),
    now,
  ]);
  return inserted.rows[0]?.value ?? (await getState(db, key))!;
}

export async function setState(db: Db, key: string, value: string, now: Date): Promise<void> {
  await db.query('INSERT INTO state (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', [
    noNul(key),
    noNul(value),
    now,
  ]);
}
