/**
 * What one send produced. Senders never throw for a receiver's answer: they classify it.
 * `reason` is a stable short code for metrics and listings (e.g. `http_500`, `timeout`,
 * `slack_channel_not_found`); `error` the readable text.
 */
export type FailureReason = 'client' | 'server' | 'rate_limited' | 'auth' | 'timeout' | 'network' | 'render' | 'config' | 'expired' | 'source_auth';

export type SendOutcome =
  | { kind: 'success'; statusCode?: number; detail?: string }
  | {
      kind: 'retry';
      reason: FailureReason;
      error: string;
      statusCode?: number;
      /** The receiver asked us to wait at least this long (Retry-After). */
      retryAfterMs?: number;
      /**
       * The destination chose the next attempt itself (a mirror keeps its own schedule, which must
       * end before the portal link expires): the worker schedules exactly this, not the rules'.
       */
      at?: Date;
    }
  | { kind: 'permanent'; reason: FailureReason; error: string; statusCode?: number }
  /**
   * Nothing was sent: the destination throttles itself (a Slack channel's own rate) and hands the
   * delivery back for later. Not an attempt: it uses no step of the retry schedule.
   */
  | { kind: 'deferred'; reason: FailureReason; error: string; waitMs: number };

export const success = (statusCode?: number, detail?: string): SendOutcome => ({ kind: 'success', statusCode, detail });
export const retry = (reason: FailureReason, error: string, extra: { statusCode?: number; retryAfterMs?: number; at?: Date } = {}): SendOutcome => ({
  kind: 'retry',
  reason,
  error,
  ...extra,
});
export const deferred = (reason: FailureReason, error: string, waitMs: number): SendOutcome => ({ kind: 'deferred', reason, error, waitMs });
export const permanent = (reason: FailureReason, error: string, statusCode?: number): SendOutcome => ({
  kind: 'permanent',
  reason,
  error,
  statusCode,
});
