import type { FailureReason } from './outcome.js';

// Every FailureReason: `expired` and `source_auth` are a mirror's (a retry that would come after
// the portal link's expiry is not scheduled; the portal refused the recording-access
// credentials); left out of this list, such a dead delivery read as `other`.
export const FAILURE_REASONS: readonly FailureReason[] = ['client', 'server', 'rate_limited', 'auth', 'timeout', 'network', 'render', 'config', 'expired', 'source_auth'];

/** A dead delivery's reason: the FailureReason its last error starts with, or `other`. */
export type DeadReason = FailureReason | 'other';
export const DEAD_REASONS: readonly DeadReason[] = [...FAILURE_REASONS, 'other'];

// The worker writes `reason: error`, or `gave up after N attempts: reason: error` when the schedule
// ran out (execute-delivery.ts). The stores read the same shape in SQL (admin-queries.ts of each
// engine); the contract suite checks that both agree with this function.
const SHAPE = new RegExp(`^(?:gave up after [0-9]+ attempts: )?(${FAILURE_REASONS.join('|')}):`);

export function deadReason(lastError: string | null): DeadReason {
  const m = lastError === null ? null : SHAPE.exec(lastError);
  return m ? (m[1] as FailureReason) : 'other';
}
