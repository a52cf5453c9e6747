import type Router from '@koa/router';
import { parseStatus } from '../../commands/parse-status.js';
import { parseWhen } from '../../commands/parse-when.js';
import { replayQuery, type ReplayInput } from '../../commands/replay-query.js';
import { BadRequestError, type ErrorDetail } from '../../errors.js';
import type { AdminContext } from './admin-context.js';
import { asField } from './query-params.js';
import { readJson } from './read-json.js';

const FIELDS: Record<keyof ReplayInput, 'string' | 'boolean'> = {
  status: 'string',
  destination: 'string',
  since: 'string',
  eventId: 'string',
  dryRun: 'boolean',
};

/**
 * POST /admin/replay {status?, destination?, since?, eventId?, dryRun?}: what `enx-relay replay`
 * does, then wakes the worker so the replayed deliveries go out now. Unknown fields are refused:
 * a mistyped `eventID` would otherwise replay every dead letter.
 */
export function replayRoutes(router: Router, { deps }: AdminContext): void {
  router.post('/replay', async (ctx) => {
    const input = checkInput(await readJson(ctx, deps.settings.maxBodyBytes));
    const now = deps.clock.now();
    // Checked one by one first so each error names its field; replayQuery then reads them as the CLI does.
    asField('status', () => parseStatus(input.status, 'status'));
    if (input.since !== undefined) asField('since', () => parseWhen('since', input.since!, now));
    const query = replayQuery(input, now, (f) => f);
    const replayed = await deps.store.replay(query);
    if (!query.dryRun && replayed > 0) deps.onIngested?.();
    deps.logger.info({ replayed, dryRun: query.dryRun, status: query.status, destination: query.destination, eventId: query.eventId }, 'admin replay');
    ctx.body = { replayed, dryRun: query.dryRun };
  });
}

function checkInput(body: Record<string, unknown>): ReplayInput {
  const details: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(body)) {
    const want = FIELDS[key as keyof ReplayInput];
    if (!want) details.push({ path: key, message: `unknown field; known: ${Object.keys(FIELDS).join(', ')}` });
    else if (value !== null && typeof value !== want) details.push({ path: key, message: `must be a ${want}` });
  }
  if (details.length > 0) throw new BadRequestError('the replay request is not valid', details);
  const input: ReplayInput = {};
  for (const [key, value] of Object.entries(body)) if (value !== null) (input as Record<string, unknown>)[key] = value;
  return input;
}
