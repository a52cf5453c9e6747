import type { AttemptRecord } from '../../domain/delivery.js';
import { noNul, type Db } from './db.js';
import { toDate } from './rows.js';

export type Completion =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: Date; error: string | null }
  | { status: 'dead'; error: string };

const MAX_ERROR = 2000;
const trim = (s: string | null | undefined): string | null => (s == null ? null : noNul(s.slice(0, MAX_ERROR)));

// Only the worker holding the current claim may finish it: the delivery must still be
// delivering and, when the caller says which attempt it ran, still on that attempt. A worker
// whose lease ran out and was taken over finds neither and changes nothing. One statement, so the
// status change and the attempt row commit together.
const FINISH = `
  WITH f AS (
    UPDATE deliveries
    SET status = $2, lease_until = NULL, updated_at = $3,
        next_attempt_at = CASE WHEN $2 = 'pending' THEN $4::timestamptz ELSE next_attempt_at END,
        last_error = CASE WHEN $2 = 'delivered' THEN last_error ELSE $5 END
    WHERE id = $1 AND status = 'delivering' AND ($6::int IS NULL OR attempts = $6::int) AND ($12::int IS NULL OR claim_seq = $12::int)
    RETURNING attempts)
  INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)
  SELECT $1, f.attempts, $7, $8, $9, $10, $11 FROM f`;

/** Ends the current attempt of a delivery. Returns false (nothing written) if the claim was lost. */
export async function complete(db: Db, id: string, c: Completion, attempt: AttemptRecord, now: Date): Promise<boolean> {
  const r = await db.query(FINISH, [
    id,
    c.status,
    now,
    c.status === 'pending' ? c.nextAttemptAt : null,
    c.status === 'delivered' ? null : trim(c.error),
    attempt.attempt ?? null,
    toDate(attempt.startedAt),
    Math.round(attempt.durationMs),
    attempt.outcome,
    attempt.statusCode ?? null,
    trim(attempt.error),
    attempt.claim ?? null,
  ]);
  return r.rowCount === 1;
}

const EXTEND = `
  UPDATE deliveries SET lease_until = $2, updated_at = $3
  WHERE id = $1 AND status = 'delivering' AND lease_until < $2 AND ($4::int IS NULL OR claim_seq = $4::int)`;

/**
 * Lengthens a lease still held; never shortens one. With `claim`, only that claim's: a worker
 * whose claim was taken over cannot keep the new holder's lease alive.
 */
export async function extendLease(db: Db, id: string, leaseUntil: Date, now: Date, claim: number | null = null): Promise<boolean> {
  return (await db.query(EXTEND, [id, leaseUntil, now, claim])).rowCount === 1;
}

const DEFER = `
  UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = $2, attempts = attempts - 1, updated_at = $3
  WHERE id = $1 AND status = 'delivering' AND claim_seq = $4`;

/** Gives a claim back untried: due at `until`, its attempt uncounted. False if the claim was lost. */
export async function defer(db: Db, id: string, until: Date, claim: number, now: Date): Promise<boolean> {
  return (await db.query(DEFER, [id, until, now, claim])).rowCount === 1;
}
