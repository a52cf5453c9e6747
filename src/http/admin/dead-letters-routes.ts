import type Router from '@koa/router';
import { DEAD_REASONS, type DeadReason } from '../../domain/dead-reason.js';
import type { AdminContext } from './admin-context.js';
import { deadLetterCursor, encodeCursor } from './cursor.js';
import { fieldError, parseLimit, readQuery } from './query-params.js';

/** `reason=`: one of the dead reasons, or a clear error listing them. */
export function parseReason(v: string | undefined, field = 'reason'): DeadReason | undefined {
  if (v === undefined) return undefined;
  if (!(DEAD_REASONS as readonly string[]).includes(v)) throw fieldError(field, `${field} must be one of ${DEAD_REASONS.join(', ')}`);
  return v as DeadReason;
}

/**
 * GET /admin/dead-letters?destination=&reason=&cursor=&limit=: dead deliveries, newest event
 * first, one entry per delivery with the reason it died; `nextCursor` continues older.
 * GET /admin/dead-letters/groups?destination=: how many died, by destination and reason.
 */
export function deadLettersRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/dead-letters', async (ctx) => {
    const q = readQuery(ctx, ['destination', 'reason', 'cursor', 'limit']);
    const page = await deps.store.pageDeadLetters({
      limit: parseLimit(q.limit, 50, 500),
      destination: q.destination,
      reason: parseReason(q.reason),
      before: q.cursor === undefined ? undefined : deadLetterCursor(q.cursor),
    });
    ctx.body = { deadLetters: page.items, nextCursor: page.next && encodeCursor(page.next) };
  });

  router.get('/dead-letters/groups', async (ctx) => {
    const q = readQuery(ctx, ['destination']);
    ctx.body = await deps.store.deadLetterGroups({ destination: q.destination });
  });
}
