import { nextAttempt } from '../schedule.js';

export type NextTry = { kind: 'retry'; at: Date } | { kind: 'exhausted' } | { kind: 'expired'; at: Date };

/**
 * When a failed file is tried again, by the destination's own schedule (with the worker's
 * jitter and any Retry-After), or why it is not: the schedule is spent, or the next try would
 * fall at or after the portal link's expiry, when it could only fail.
 */
export function nextTry(opts: { scheduleMs: number[]; attempts: number; now: Date; retryAfterMs?: number; expiresAt: number | null; random?: () => number }): NextTry {
  const at = nextAttempt(opts);
  if (!at) return { kind: 'exhausted' };
  if (opts.expiresAt !== null && at.getTime() >= opts.expiresAt) return { kind: 'expired', at };
  return { kind: 'retry', at };
}
