import type Router from '@koa/router';
import type { AdminContext } from './admin-context.js';
import { parseLimit, queryParam } from './query-params.js';

const MAX = 500;

/**
 * GET /admin/dead-letters?destination=&limit=: dead deliveries, newest event first, one entry per
 * delivery with the reason it died. Filtered by destination, the newest MAX events with a dead
 * delivery are searched, so a page is full even when other destinations died more often.
 */
export function deadLettersRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/dead-letters', async (ctx) => {
    const destination = queryParam(ctx, 'destination');
    const limit = parseLimit(queryParam(ctx, 'limit'), 50, MAX);
    const events = await deps.store.listEvents({ status: 'dead', limit: destination === undefined ? limit : MAX });
    const deadLetters = events
      .flatMap((e) =>
        e.deliveries
          .filter((d) => d.status === 'dead' && (destination === undefined || d.destination === destination))
          .map((d) => ({
            eventId: e.id,
            type: e.type,
            appId: e.appId,
            roomId: e.roomId,
            confNum: e.confNum,
            receivedAt: e.receivedAt,
            deliveryId: d.id,
            destination: d.destination,
            route: d.route,
            attempts: d.attempts,
            lastError: d.lastError,
            diedAt: d.updatedAt,
          })),
      )
      .slice(0, limit);
    ctx.body = { deadLetters };
  });
}
