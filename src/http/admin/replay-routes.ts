import type Router from '@koa/router';
import { parseStatus } from '../../commands/parse-status.js';
import { parseWhen } from '../../commands/parse-when.js';
import { replayQuery, type ReplayInput } from '../../commands/replay-query.js';
import { BadRequestError, type ErrorDetail } from '../../errors.js';
import type { AdminContext } from './admin-context.js';
import { parseReason } from './dead-letters-routes.js';
import { jsonBody } from './json-body.js';
import { asField } from './query-params.js';

const FIELDS: Record<keyof ReplayInput, 'string' | 'boolean' | 'string[]'> = {
  status: 'string',
  destination: 'string',
  since: 'string',
  eventId: 'string',
  deliveryIds: 'string[]',
  reason: 'string',
  dryRun: 'boolean',
};

/** A selection is what a person ticked on a page, not a bulk operation: that is what filters are for. */
export const MAX_SELECTION = 500;

/**
 * POST /admin/replay {status?, destination?, since?, eventId?, deliveryIds?, reason?, dryRun?}:
 * what `enx-relay replay` does, then wakes the worker so the replayed deliveries go out now.
 * Unknown fields are refused: a mistyped `eventID` would otherwise replay every dead letter.
 */
export function replayRoutes(router: Router, { deps }: AdminContext): void {
  router.post('/replay', jsonBody(deps.settings.maxBodyBytes), async (ctx) => {
    const input = checkInput(ctx.request.body as Record<string, unknown>);
    const now = deps.clock.now();
    // Checked one by one first so each error names its field; replayQuery then reads them as the CLI does.
    asField('status', () => parseStatus(input.status, 'status'));
    if (input.since !== undefined) asField('since', () => parseWhen('since', input.since!, now));
    parseReason(input.reason);
    const query = replayQuery(input, now, (f) => f);
    const replayed = await deps.store.replay(query);
    if (!query.dryRun && replayed > 0) deps.onIngested?.();
    deps.logger.info(
      { replayed, dryRun: query.dryRun, status: query.status, destination: query.destination, eventId: query.eventId, reason: query.reason, selected: query.deliveryIds?.length },
      'admin replay',
    );
    ctx.body = { replayed, dryRun: query.dryRun };
  });
}

function checkInput(body: Record<string, unknown>): ReplayInput {
  const details: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(body)) {
    const want = FIELDS[key as keyof ReplayInput];
    if (!want) details.push({ path: key, message: `unknown field; known: ${Object.keys(FIELDS).join(', ')}` });
    else if (value === null) continue;
    else if (want === 'string[]') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 100)) details.push({ path: key, message: 'must be a list of delivery ids' });
      else if (value.length === 0 || value.length > MAX_SELECTION) details.push({ path: key, message: `must list from 1 to ${MAX_SELECTION} delivery ids` });
    } else if (typeof value !== want) details.push({ path: key, message: `must be a ${want}` });
  }
  if (details.length > 0) throw new BadRequestError('the replay request is not valid', details);
  const input: ReplayInput = {};
  for (const [key, value] of Object.entries(body)) if (value !== null) (input as Record<string, unknown>)[key] = value;
  return input;
}
