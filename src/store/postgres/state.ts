import { noNul, type Db } from './db.js';

export const GET_STATE = 'SELECT value FROM state WHERE key = $1';
export const PUT_STATE_IF_ABSENT =
  'INSERT INTO state (key, value, updated_at) VALUES ($1, $2, coalesce($3::timestamptz, now())) ON CONFLICT (key) DO UPDATE SET updated_at = GREATEST(state.updated_at, excluded.updated_at) RETURNING value';
export const SET_STATE =
  'INSERT INTO state (key, value, updated_at) VALUES ($1, $2, coalesce($3::timestamptz, now())) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at';

export async function getState(db: Db, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>(GET_STATE, [noNul(key)]);
  return rows[0]?.value ?? null;
}

/**
 * The first writer wins; every caller learns the value in force (two workers agree on one Slack
 * thread). ON CONFLICT waits for a concurrent inserter of the same key to commit, then updates
 * the winner's row, so RETURNING gives the value in force. The update only touches updated_at:
 * a caller that finds the key is using it (an email session's next message threads under its
 * root), so retention must count from now.
 */
export async function putStateIfAbsent(db: Db, key: string, value: string, now: Date | null): Promise<string> {
  const { rows } = await db.query<{ value: string }>(
    PUT_STATE_IF_ABSENT,
    [noNul(key), noNul(value), now],
  );
  return rows[0]!.value;
}

export async function setState(db: Db, key: string, value: string, now: Date | null): Promise<void> {
  await db.query(SET_STATE, [
    noNul(key),
    noNul(value),
    now,
  ]);
}

export const STATE_BATCH = 500;
export const PURGE_STATE = `DELETE FROM state WHERE key = ANY (ARRAY(SELECT key FROM state WHERE updated_at < $1 LIMIT ${STATE_BATCH}))`;

/** One batch of forgetting the state of sessions idle since before `before`: at most STATE_BATCH rows (fewer: done). */
export async function purgeStateBatch(db: Db, before: Date): Promise<number> {
  return (await db.query(PURGE_STATE, [before])).rowCount ?? 0;
}
