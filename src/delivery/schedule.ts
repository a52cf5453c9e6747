/** ±20%: deliveries that failed together (a receiver outage) do not all come back together. */
export const JITTER = 0.2;

export interface NextAttemptOptions {
  /** Delays after attempt 1, 2, ... (`retry.schedule` of the rules). */
  scheduleMs: number[];
  /** Attempts made so far, including the one that just failed. */
  attempts: number;
  now: Date;
  /** The receiver's Retry-After, if it sent one. */
  retryAfterMs?: number;
  random?: () => number;
}

/**
 * When to try a delivery again after a retryable failure, or null when the schedule is spent
 * (the delivery is dead). A schedule of n steps allows n + 1 attempts.
 *
 * Retry-After can only push the next attempt later, and no later than the schedule's longest
 * step: a receiver that asks for a week must not park a delivery past what admins configured.
 */
export function nextAttempt(opts: NextAttemptOptions): Date | null {
  const { scheduleMs, attempts, now } = opts;
  const random = opts.random ?? Math.random;
  // attempts is at least 1 once claimed; a 0 from a caller must not kill a delivery.
  const n = Math.max(1, attempts);
  if (n > scheduleMs.length) return null;
  const step = scheduleMs[n - 1]!;
  let delay = step * (1 - JITTER + 2 * JITTER * random());
  if (opts.retryAfterMs !== undefined && opts.retryAfterMs > delay) {
    const cap = Math.max(...scheduleMs);
    delay = Math.max(delay, Math.min(opts.retryAfterMs, cap));
  }
  return new Date(now.getTime() + Math.round(delay));
}
