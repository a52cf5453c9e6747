import type { AttemptRecord } from '../../domain/delivery.js';
import type { Settled } from '../batcher.js';
import { named, noNul, type Db } from './db.js';
import { toDate } from './rows.js';

/**
 * A time the worker names: `at` on the relay's clock (tests, one machine), or `inMs` from the
 * database's now() (replicas whose clocks may disagree). Exactly one is set.
 */
export type When = { at: Date; inMs: null } | { at: null; inMs: number };

export type Completion =
  | { status: 'delivered' }
  | { status: 'pending'; next: When; error: string | null }
  | { status: 'dead'; error: string };

/** One attempt's result, as the worker reports it. */
export interface Finish {
  id: string;
  completion: Completion;
  attempt: AttemptRecord;
}

const MAX_ERROR = 2000;
const trim = (s: string | null | undefined): string | null => (s == null ? null : noNul(s.slice(0, MAX_ERROR)));

// Many results in one statement. Only the worker holding the current claim may finish it: the
// delivery must still be delivering and on the attempt and claim the worker names; a worker
// whose lease ran out and was taken over finds neither and changes nothing. The status change and
// the attempt row commit together. $12: the moment (NULL: the database's clock).
export const FINISH = `
  WITH c AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::int[], $9::text[], $10::int[], $11::text[], $13::timestamptz[])
      AS c (id, status, delay_ms, error, attempt, claim, started_at, duration_ms, outcome, status_code, attempt_error, next_at)
  ), t AS (
    SELECT coalesce($12::timestamptz, now()) AS now
  ), f AS (
    UPDATE deliveries d
    SET status = c.status, lease_until = NULL, updated_at = t.now,
        next_attempt_at = CASE WHEN c.status = 'pending' THEN coalesce(c.next_at, t.now + c.delay_ms * interval '1 millisecond') ELSE d.next_attempt_at END,
        due_at = CASE WHEN c.status = 'pending' THEN coalesce(c.next_at, t.now + c.delay_ms * interval '1 millisecond') END,
        last_error = CASE WHEN c.status = 'delivered' THEN d.last_error ELSE c.error END
    FROM c, t
    WHERE d.id = c.id AND d.status = 'delivering' AND (c.attempt IS NULL OR d.attempts = c.attempt) AND (c.claim IS NULL OR d.claim_seq = c.claim)
    RETURNING d.id, d.attempts, d.order_key, d.status
  ), a AS (
    INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)
    SELECT f.id, f.attempts, c.started_at, c.duration_ms, c.outcome, c.status_code, c.attempt_error FROM f JOIN c ON c.id = f.id
  )
  SELECT id, order_key, status FROM f`;

// The heads that finished leave their keys' counts (rows locked in key order: two batches never
// wait on each other in a cycle); the keys that still have open deliveries come back.
export const LEAVE_KEYS = `
  WITH k AS (
    SELECT order_key, count(*)::int AS n FROM unnest($1::text[]) AS order_key GROUP BY order_key
  ), locked AS (
    SELECT q.order_key FROM order_queues q JOIN k USING (order_key) ORDER BY q.order_key FOR UPDATE OF q
  )
  UPDATE order_queues q SET open = greatest(0, q.open - k.n)
  FROM k, locked WHERE q.order_key = k.order_key AND locked.order_key = q.order_key
  RETURNING q.order_key, q.open`;

// Keys left with nothing open lose their row (still locked by LEAVE_KEYS in this transaction): the
// table holds only keys with work, and a key's next ingest writes its row again (ON CONFLICT waits
// for this commit, then inserts). Nothing has to look for idle keys later.
export const FORGET_KEYS = 'DELETE FROM order_queues WHERE order_key = ANY ($1::text[]) AND open = 0';

// A new statement, so a new snapshot: it sees a delivery a replica's ingest added behind the head
// and committed while this transaction waited for the key's row. Due at its own next attempt
// time, or now if that lies in the database's future (replicas' clocks may disagree).
export const PROMOTE = `
  UPDATE deliveries d SET due_at = least(d.next_attempt_at, coalesce($2::timestamptz, now())), updated_at = coalesce($2::timestamptz, now())
  WHERE d.seq IN (
    SELECT (SELECT w.seq FROM deliveries w WHERE w.order_key = k AND w.status = 'pending' AND w.due_at IS NULL ORDER BY w.seq LIMIT 1)
    FROM unnest($1::text[]) AS k)`;

/**
 * Records a batch of attempt results in one transaction (run it in one): the results, then for
 * heads of order keys that finished, their keys' counts and the promotion of what waited behind
 * them. Returns, per result, whether it applied (false: the claim was lost).
 */
export async function completeBatch(db: Db, batch: Finish[], now: Date | null): Promise<Settled<boolean>[]> {
  const params = [
    batch.map((f) => f.id),
    batch.map((f) => f.completion.status),
    batch.map((f) => (f.completion.status === 'pending' ? Math.max(0, Math.round(f.completion.next.inMs ?? 0)) : 0)),
    batch.map((f) => (f.completion.status === 'delivered' ? null : trim(f.completion.error))),
    batch.map((f) => f.attempt.attempt ?? null),
    batch.map((f) => f.attempt.claim ?? null),
    batch.map((f) => toDate(f.attempt.startedAt)),
    batch.map((f) => Math.round(f.attempt.durationMs)),
    batch.map((f) => f.attempt.outcome),
    batch.map((f) => f.attempt.statusCode ?? null),
    batch.map((f) => trim(f.attempt.error)),
    now,
    batch.map((f) => (f.completion.status === 'pending' ? f.completion.next.at : null)),
  ];
  const { rows } = await db.query<{ id: string; order_key: string | null; status: string }>(named('enx_finish', FINISH), params);
  const keys = rows.filter((r) => r.order_key !== null && r.status !== 'pending').map((r) => r.order_key!);
  if (keys.length > 0) {
    const left = await db.query<{ order_key: string; open: number }>(LEAVE_KEYS, [keys]);
    const waiting = left.rows.filter((r) => r.open > 0).map((r) => r.order_key);
    if (waiting.length > 0) await db.query(PROMOTE, [waiting, now]);
    const idle = left.rows.filter((r) => r.open === 0).map((r) => r.order_key);
    if (idle.length > 0) await db.query(FORGET_KEYS, [idle]);
  }
  const applied = new Set(rows.map((r) => r.id));
  return batch.map((f) => ({ ok: true, value: applied.has(f.id) }));
}

// The new lease's end: $2 (the relay's clock), or $5 ms after the database's now(). $4: the moment.
export const EXTEND = `
  WITH t AS (SELECT coalesce($4::timestamptz, now()) AS now, coalesce($2::timestamptz, now() + $5 * interval '1 millisecond') AS until)
  UPDATE deliveries SET lease_until = t.until, due_at = t.until, updated_at = t.now
  FROM t WHERE id = $1 AND status = 'delivering' AND lease_until < t.until AND ($3::int IS NULL OR claim_seq = $3::int)`;

/**
 * Lengthens a lease still held; never shortens one. With `claim`, only that claim's: a worker
 * whose claim was taken over cannot keep the new holder's lease alive.
 */
export async function extendLease(db: Db, id: string, until: When, now: Date | null, claim: number | null = null): Promise<boolean> {
  return (await db.query(EXTEND, [id, until.at, claim, now, Math.round(until.inMs ?? 0)])).rowCount === 1;
}

export const DEFER = `
  WITH t AS (SELECT coalesce($4::timestamptz, now()) AS now, coalesce($2::timestamptz, now() + $5 * interval '1 millisecond') AS until)
  UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = t.until, due_at = t.until, attempts = attempts - 1, updated_at = t.now
  FROM t WHERE id = $1 AND status = 'delivering' AND claim_seq = $3`;

/** Gives a claim back untried: due at `until`, its attempt uncounted. False if the claim was lost. */
export async function defer(db: Db, id: string, until: When, claim: number, now: Date | null): Promise<boolean> {
  return (await db.query(DEFER, [id, until.at, claim, now, Math.round(until.inMs ?? 0)])).rowCount === 1;
}
