import type Router from '@koa/router';
import type { AdminContext } from './admin-context.js';
import { parseLimit, queryParam } from './query-params.js';
import { redactBytes } from './redact.js';

/**
 * GET /admin/rejected?limit=: bodies that arrived authenticated but failed to parse or validate,
 * newest first. `raw` is the body as UTF-8 text (invalid bytes replaced) for reading, `rawBase64`
 * the exact bytes for a replay by hand.
 */
export function rejectedRoutes(router: Router, { deps, secrets }: AdminContext): void {
  router.get('/rejected', async (ctx) => {
    const rows = await deps.store.listRejected(parseLimit(queryParam(ctx, 'limit'), 50, 500));
    const mask = secrets();
    ctx.body = {
      rejected: rows.map(({ raw, ...r }) => {
        const bytes = redactBytes(raw, mask);
        return { ...r, raw: bytes.toString('utf8'), rawBase64: bytes.toString('base64') };
      }),
    };
  });
}
