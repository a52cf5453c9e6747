import type { DeadReason } from '../domain/dead-reason.js';
import type { ReplayQuery } from '../store/store.js';
import { parseStatus } from './parse-status.js';
import { parseWhen } from './parse-when.js';

export interface ReplayInput {
  status?: string;
  destination?: string;
  /** A duration (2h: that long ago) or an ISO-8601 time. */
  since?: string;
  eventId?: string;
  /** These deliveries only (the dashboard's selection). */
  deliveryIds?: string[];
  /** Dead ones whose last error has this reason (dead-reason.ts). */
  reason?: DeadReason;
  dryRun?: boolean;
}

/**
 * What a replay request means, for `enx-relay replay` and `POST /admin/replay` alike: without
 * filters, the dead letters; an event id or delivery ids alone, every delivery they name. `label` names a
 * field as the caller's user typed it (`--status` on the command line, `status` in JSON).
 */
export function replayQuery(input: ReplayInput, now: Date, label: (field: 'status' | 'since') => string = (f) => `--${f}`): ReplayQuery {
  return {
    status: parseStatus(input.status ?? (input.eventId || input.deliveryIds ? undefined : 'dead'), label('status')),
    destination: input.destination,
    since: input.since !== undefined ? parseWhen(label('since'), input.since, now) : undefined,
    eventId: input.eventId,
    deliveryIds: input.deliveryIds,
    reason: input.reason,
    dryRun: input.dryRun ?? false,
    now,
  };
}
