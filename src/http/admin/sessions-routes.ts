import type Router from '@koa/router';
import { NotFoundError } from '../../errors.js';
import { parseSessionKey, SessionKeyError } from '../../sessions/session-key.js';
import type { AdminContext } from './admin-context.js';
import { encodeCursor, sessionCursor } from './cursor.js';
import { fieldError, parseLimit, readQuery } from './query-params.js';

const LIST = ['app_id', 'room_id', 'overdue', 'cursor', 'limit'] as const;

/**
 * GET /admin/sessions: sessions, the most recently active first (what `enx-relay sessions`
 * lists), filtered by app, room and whether an expectation is overdue, one page at a time:
 * `nextCursor` continues with older ones. Like the events pages, a page reads a bounded window
 * of an index, so with rare filters it may be short (even empty) and still have a `nextCursor`.
 * GET /admin/sessions/:key: the session's record, its events by arrival and each expectation's
 * watch. A key that is not one (not app~room~conf, percent-encoded) is a 400, an unknown one a 404.
 * Values from events are in the answer as JSON strings; the admin API masks secrets in all of it.
 */
export function sessionsRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/sessions', async (ctx) => {
    const q = readQuery(ctx, LIST);
    if (q.overdue !== undefined && q.overdue !== '1' && q.overdue !== '0' && q.overdue !== 'true' && q.overdue !== 'false') {
      throw fieldError('overdue', `overdue must be 1 or 0 (true or false), not "${q.overdue}"`);
    }
    const page = await deps.store.pageSessions({
      limit: parseLimit(q.limit, 50, 500),
      appId: q.app_id,
      roomId: q.room_id,
      overdue: q.overdue === '1' || q.overdue === 'true' ? true : undefined,
      before: q.cursor === undefined ? undefined : sessionCursor(q.cursor),
    });
    ctx.body = { sessions: page.items, nextCursor: page.next && encodeCursor(page.next) };
  });

  router.get('/sessions/:key', async (ctx) => {
    readQuery(ctx, []);
    const key = ctx.params['key']!;
    try {
      parseSessionKey(key);
    } catch (err) {
      if (err instanceof SessionKeyError) throw fieldError('key', err.message);
      throw err;
    }
    const session = await deps.store.getSession(key);
    if (!session) throw new NotFoundError(`session ${key}`);
    ctx.body = { session };
  });
}
