import type { Database } from 'better-sqlite3';
import type { AttemptRecord } from '../../domain/delivery.js';
import { prepared } from './prepared.js';
import { toMs } from './rows.js';

export type Completion =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: number; error: string | null }
  | { status: 'dead'; error: string };

const MAX_ERROR = 2000;
const trim = (s: string | null | undefined): string | null => (s == null ? null : s.slice(0, MAX_ERROR));

// Only the worker holding the current claim may finish it: the delivery must still be
// delivering and, when the caller says which attempt and claim it ran, still on those. A worker
// whose lease ran out and was taken over finds neither and changes nothing.
export const FINISH = `
  UPDATE deliveries
  SET status = @status, lease_until = NULL, updated_at = @now,
      next_attempt_at = CASE WHEN @status = 'pending' THEN @next ELSE next_attempt_at END,
      due_at = CASE WHEN @status = 'pending' THEN @next ELSE NULL END,
      last_error = CASE WHEN @status = 'delivered' THEN last_error ELSE @error END
  WHERE id = @id AND status = 'delivering' AND (@attempt IS NULL OR attempts = @attempt) AND (@claim IS NULL OR claim_seq = @claim)
  RETURNING attempts, order_key`;

export const RECORD = `
  INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status_code, error)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

// The next of an order key: the earliest open one that is not due yet (it waited behind the head).
export const NEXT_OF_KEY = `
  SELECT seq FROM deliveries
  WHERE order_key = ? AND status IN ('pending', 'delivering') AND due_at IS NULL
  ORDER BY seq LIMIT 1`;

// Due at its own next attempt time (its arrival, or the replay that reopened it): it was due all
// along, only held back by the head.
export const PROMOTE = 'UPDATE deliveries SET due_at = next_attempt_at, updated_at = ? WHERE seq = ?';

/** Ends the current attempt of a delivery. Returns false (nothing written) if the claim was lost. */
export function complete(db: Database, id: string, c: Completion, attempt: AttemptRecord, now: number): boolean {
  const row = prepared(db, FINISH).get({
    id,
    status: c.status,
    now,
    next: c.status === 'pending' ? c.nextAttemptAt : null,
    error: c.status === 'delivered' ? null : trim(c.error),
    attempt: attempt.attempt ?? null,
    claim: attempt.claim ?? null,
  }) as { attempts: number; order_key: string | null } | undefined;
  if (!row) return false;
  const a = attempt;
  prepared(db, RECORD).run(id, row.attempts, toMs(a.startedAt), Math.round(a.durationMs), a.outcome, a.statusCode ?? null, trim(a.error));
  // A head that finished (delivered or dead) lets the next of its key go; one that will retry
  // stays the head, and what waits behind it keeps waiting.
  if (row.order_key !== null && c.status !== 'pending') promoteNext(db, row.order_key, now);
  return true;
}

/** Makes the earliest waiting delivery of `key` claimable, if one waits. */
export function promoteNext(db: Database, key: string, now: number): void {
  const next = prepared(db, NEXT_OF_KEY).get(key) as { seq: number } | undefined;
  if (next) prepared(db, PROMOTE).run(now, next.seq);
}

export const EXTEND = `
  UPDATE deliveries SET lease_until = @until, due_at = @until, updated_at = @now
  WHERE id = @id AND status = 'delivering' AND lease_until < @until AND (@claim IS NULL OR claim_seq = @claim)`;

/**
 * Lengthens a lease still held; never shortens one. With `claim`, only that claim's: a worker
 * whose claim was taken over cannot keep the new holder's lease alive.
 */
export function extendLease(db: Database, id: string, leaseUntil: number, now: number, claim: number | null = null): boolean {
  return prepared(db, EXTEND).run({ until: leaseUntil, now, id, claim }).changes === 1;
}

export const DEFER = `
  UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?, due_at = ?, attempts = attempts - 1, updated_at = ?
  WHERE id = ? AND status = 'delivering' AND claim_seq = ?`;

/** Gives a claim back untried: due at `until`, its attempt uncounted. False if the claim was lost. */
export function defer(db: Database, id: string, until: number, claim: number, now: number): boolean {
  return prepared(db, DEFER).run(until, until, now, id, claim).changes === 1;
}
