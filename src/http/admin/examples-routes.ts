import type Router from '@koa/router';
import { exampleBodies } from '../../ingest/examples.js';
import type { AdminContext } from './admin-context.js';
import { readQuery } from './query-params.js';

/** GET /admin/examples: one sample body per documented type (the schemas' own), for the route tester. */
export function examplesRoutes(router: Router, _admin: AdminContext): void {
  router.get('/examples', (ctx) => {
    readQuery(ctx, []);
    ctx.body = { examples: Object.entries(exampleBodies()).map(([type, body]) => ({ type, body })) };
  });
}
