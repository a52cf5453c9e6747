import type { ClaimedDelivery } from '../../domain/delivery.js';
import { permanent, retry, success, type SendOutcome } from '../../domain/outcome.js';
import type { MirrorCopy } from '../../relay-events/types/recording-mirror.js';
import { formatBytes } from '../../templates/format.js';
import type { FileResult } from './mirror-file.js';
import type { FilePlan } from './mirror-key.js';
import { nextTry } from './mirror-schedule.js';

/**
 * What one try of one file comes to: the delivery's outcome for the worker, and the file's
 * standing for the announcement. A failure worth another try gets one at a time of the
 * destination's schedule (`retry.at`), unless the schedule is spent or the try would come after
 * the portal link expires: then the file ends dead, the latter with reason `expired`.
 */
export function fileOutcome(d: Pick<ClaimedDelivery, 'attempts'>, plan: FilePlan, result: FileResult, opts: { scheduleMs: number[]; now: Date; expiresAt: number | null }): { copy: MirrorCopy; outcome: SendOutcome } {
  const base = { file_name: plan.fileName, source_url: plan.url, location: plan.location };
  if (result.kind === 'mirrored') {
    return {
      copy: { ...base, status: 'mirrored', size: result.size, sha256: result.sha256 },
      outcome: success(200, `${result.skipped ? 'already mirrored' : 'mirrored'}: ${plan.location} (${formatBytes(result.size)}, sha256 ${result.sha256})`),
    };
  }
  let { code, error, reason } = result;
  let at: Date | null = null;
  if (result.retryable) {
    const next = nextTry({ scheduleMs: opts.scheduleMs, attempts: d.attempts, now: opts.now, expiresAt: opts.expiresAt, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) });
    if (next.kind === 'retry') at = next.at;
    else if (next.kind === 'expired') {
      error = `the next try (${next.at.toISOString()}) would come after the portal link expires (${new Date(opts.expiresAt!).toISOString()}); last try: ${code}: ${error}`;
      code = 'expired';
      reason = 'expired';
    } else error = `gave up after ${d.attempts} tries: ${error}`;
  }
  const copy: MirrorCopy = { ...base, status: at ? 'pending' : 'failed', size: null, sha256: null, reason: code, error };
  const status = result.statusCode !== undefined ? { statusCode: result.statusCode } : {};
  return { copy, outcome: at ? retry(reason, `${code}: ${error}`, { at, ...status }) : permanent(reason, `${code}: ${error}`, result.statusCode) };
}
