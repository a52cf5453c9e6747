import type { FailureReason } from '../../domain/outcome.js';
import { classifyHttpStatus } from '../outcome.js';

export interface PortalVerdict {
  retryable: boolean;
  /** The file's reason: `source_auth`, `not_found`, `expired`, `portal_http_503`, ... */
  code: string;
  reason: FailureReason;
  error: string;
  retryAfterMs?: number;
}

/**
 * What the portal's answer means for the file. 401/403: the recording-access credentials are
 * wrong (or missing): only an admin can fix that, so the file ends dead at once (`source_auth`).
 * 404: files can lag behind their event, so it is asked again. 410: gone for good (`expired`).
 * The rest as every HTTP destination reads it (outcome.ts): 408, 425, 429 and 5xx are retried.
 */
export function portalVerdict(status: number, retryAfterHeader: string | undefined, now: Date, where: string): PortalVerdict {
  if (status === 401 || status === 403 || status === 407) {
    return { retryable: false, code: 'source_auth', reason: 'source_auth', error: `the portal refused the recording-access credentials (HTTP ${status}) for ${where}: check source_auth` };
  }
  if (status === 404) return { retryable: true, code: 'not_found', reason: 'client', error: `the portal has no file at ${where} yet (HTTP 404)` };
  if (status === 410) return { retryable: false, code: 'expired', reason: 'expired', error: `the portal says ${where} is gone (HTTP 410)` };
  const o = classifyHttpStatus(status, retryAfterHeader ?? null, now);
  const code = `portal_http_${status}`;
  if (o.kind === 'retry') return { retryable: true, code, reason: o.reason, error: `the portal answered ${o.error} for ${where}`, ...(o.retryAfterMs !== undefined ? { retryAfterMs: o.retryAfterMs } : {}) };
  if (o.kind === 'permanent') return { retryable: false, code, reason: o.reason, error: `the portal answered ${o.error} for ${where}` };
  // A 2xx other than 200 (204, 206): not a whole file.
  return { retryable: true, code, reason: 'server', error: `the portal answered HTTP ${status} for ${where}, not the file` };
}
