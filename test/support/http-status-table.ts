import type { FailureReason, SendOutcome } from '../../src/domain/outcome.js';

export interface HttpStatusCase {
  status: number;
  retryAfter?: string;
  kind: SendOutcome['kind'];
  reason?: FailureReason;
  retryAfterMs?: number;
}

/** "now" for the cases whose Retry-After is an HTTP date. */
export const STATUS_TABLE_NOW = new Date('2025-03-01T10:00:00.000Z');

/**
 * What each receiver answer means for a delivery: the one policy every destination kind that
 * speaks HTTP must follow (run it against your kind's classification, as outcome.test.ts does).
 */
export const HTTP_STATUS_TABLE: readonly HttpStatusCase[] = [
  { status: 200, kind: 'success' },
  { status: 201, kind: 'success' },
  { status: 202, kind: 'success' },
  { status: 204, kind: 'success' },
  { status: 301, kind: 'permanent', reason: 'config' },
  { status: 302, kind: 'permanent', reason: 'config' },
  { status: 307, kind: 'permanent', reason: 'config' },
  { status: 308, kind: 'permanent', reason: 'config' },
  { status: 400, kind: 'permanent', reason: 'client' },
  { status: 401, kind: 'permanent', reason: 'auth' },
  { status: 403, kind: 'permanent', reason: 'auth' },
  { status: 404, kind: 'permanent', reason: 'client' },
  { status: 405, kind: 'permanent', reason: 'client' },
  { status: 408, kind: 'retry', reason: 'timeout' },
  { status: 409, kind: 'permanent', reason: 'client' },
  { status: 410, kind: 'permanent', reason: 'client' },
  { status: 413, kind: 'permanent', reason: 'client' },
  { status: 422, kind: 'permanent', reason: 'client' },
  { status: 425, kind: 'retry', reason: 'client' },
  { status: 429, kind: 'retry', reason: 'rate_limited' },
  { status: 429, retryAfter: '30', kind: 'retry', reason: 'rate_limited', retryAfterMs: 30_000 },
  { status: 429, retryAfter: 'Sat, 01 Mar 2025 10:02:00 GMT', kind: 'retry', reason: 'rate_limited', retryAfterMs: 120_000 },
  { status: 429, retryAfter: 'soon', kind: 'retry', reason: 'rate_limited' },
  { status: 500, kind: 'retry', reason: 'server' },
  { status: 502, kind: 'retry', reason: 'server' },
  { status: 503, kind: 'retry', reason: 'server' },
  { status: 503, retryAfter: '120', kind: 'retry', reason: 'server', retryAfterMs: 120_000 },
  { status: 504, kind: 'retry', reason: 'server' },
  { status: 599, kind: 'retry', reason: 'server' },
];
