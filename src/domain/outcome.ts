/**
 * What one send produced. Senders never throw for a receiver's answer: they classify it.
 * `reason` is a stable short code for metrics and listings (e.g. `http_500`, `timeout`,
 * `slack_channel_not_found`); `error` the readable text.
 */
export type FailureReason = 'client' | 'server' | 'rate_limited' | 'auth' | 'timeout' | 'network' | 'render' | 'config';

export type SendOutcome =
  | { kind: 'success'; statusCode?: number; detail?: string }
  | {
      kind: 'retry';
      reason: FailureReason;
      error: string;
      statusCode?: number;
      /** The receiver asked us to wait at least this long (Retry-After). */
      retryAfterMs?: number;
    }
  | { kind: 'permanent'; reason: FailureReason; error: string; statusCode?: number };

export const success = (statusCode?: number, detail?: string): SendOutcome => ({ kind: 'success', statusCode, detail });
export const retry = (reason: FailureReason, error: string, extra: { statusCode?: number; retryAfterMs?: number } = {}): SendOutcome => ({
  kind: 'retry',
  reason,
  error,
  ...extra,
});
export const permanent = (reason: FailureReason, error: string, statusCode?: number): SendOutcome => ({
  kind: 'permanent',
  reason,
  error,
  statusCode,
});
