import type Router from '@koa/router';
import { acceptPreviewPayload } from '../../ingest/accept-preview.js';
import { readBody } from '../../ingest/read-body.js';
import { previewRoute } from '../../routing/preview-route.js';
import { caseYaml } from '../../routing/test-cases/case-yaml.js';
import type { AdminContext } from './admin-context.js';
import { readQuery } from './query-params.js';

/**
 * POST /admin/route-test with an EnableX event as the body (read and checked exactly as the
 * webhook reads it): the routes it matches and what each destination would send, by the rules in
 * force, and the routing test case that pins it (config/routes.test.example.yaml). Nothing is
 * sent and nothing is stored, not even a refused body.
 */
export function routeTestRoutes(router: Router, { deps }: AdminContext): void {
  router.post('/route-test', async (ctx) => {
    readQuery(ctx, []);
    const raw = await readBody(ctx.req, deps.settings.maxBodyBytes);
    const event = acceptPreviewPayload(raw, ctx.get('content-type') || null, deps.clock.now());
    const set = deps.destinations();
    const preview = await previewRoute(event, set);
    const destinations = preview.deliveries.map((d) => d.destination);
    const routes = preview.matched.map((m) => m.route);
    ctx.body = {
      event: { id: event.id, type: event.type, appId: event.appId, roomId: event.roomId, confNum: event.confNum, occurredAt: event.occurredAt },
      rulesHash: set.rules.hash,
      ...preview,
      testCase: caseYaml({ name: `${event.type} from room ${event.roomId} reaches ${destinations.join(', ') || 'no destination'}`, event: event.body, destinations, routes }),
    };
  });
}
