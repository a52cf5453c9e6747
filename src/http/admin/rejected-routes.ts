import type Router from '@koa/router';
import type { AdminContext } from './admin-context.js';
import { encodeCursor, rejectedCursor } from './cursor.js';
import { parseLimit, readQuery } from './query-params.js';
import { redactBytes } from './redact.js';

/**
 * GET /admin/rejected?cursor=&limit=: bodies that arrived authenticated but failed to parse or
 * validate, newest first. `raw` is the body as UTF-8 text (invalid bytes replaced) for reading,
 * `rawBase64` the exact bytes for a replay by hand.
 */
export function rejectedRoutes(router: Router, { deps, secrets }: AdminContext): void {
  router.get('/rejected', async (ctx) => {
    const q = readQuery(ctx, ['cursor', 'limit']);
    const limit = parseLimit(q.limit, 50, 500);
    const rows = await deps.store.pageRejected({ limit, before: q.cursor === undefined ? undefined : rejectedCursor(q.cursor) });
    const mask = secrets();
    const last = rows[rows.length - 1];
    ctx.body = {
      rejected: rows.map(({ raw, ...r }) => {
        const bytes = redactBytes(raw, mask);
        return { ...r, raw: bytes.toString('utf8'), rawBase64: bytes.toString('base64') };
      }),
      nextCursor: last && rows.length === limit ? encodeCursor({ id: last.id }) : null,
    };
  });
}
