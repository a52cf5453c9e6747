import type Router from '@koa/router';
import { parseStatus } from '../../commands/parse-status.js';
import { parseWhen } from '../../commands/parse-when.js';
import { NotFoundError } from '../../errors.js';
import type { AdminContext } from './admin-context.js';
import { asField, parseLimit, queryParam } from './query-params.js';
import { redactBytes } from './redact.js';

/**
 * GET /admin/events: recent events with their deliveries (what `enx-relay events` lists).
 * GET /admin/events/:id: one event as normalized, its deliveries and every attempt of each. The
 * raw bytes only on `?raw=1`, as base64: they are the sender's, byte for byte (secrets masked).
 */
export function eventsRoutes(router: Router, { deps, secrets }: AdminContext): void {
  router.get('/events', async (ctx) => {
    const status = asField('status', () => parseStatus(queryParam(ctx, 'status'), 'status'));
    const since = queryParam(ctx, 'since');
    const events = await deps.store.listEvents({
      limit: parseLimit(queryParam(ctx, 'limit'), 50, 500),
      status,
      type: queryParam(ctx, 'type'),
      since: since === undefined ? undefined : asField('since', () => parseWhen('since', since, deps.clock.now())),
    });
    ctx.body = { events };
  });

  router.get('/events/:id', async (ctx) => {
    const id = ctx.params['id']!;
    const event = await deps.store.getEvent(id);
    if (!event) throw new NotFoundError(`event ${id}`);
    const { raw, ...normalized } = event;
    const deliveries = await Promise.all(
      (await deps.store.listDeliveries(event.id)).map(async (d) => ({ ...d, attemptLog: await deps.store.listAttempts(d.id) })),
    );
    const extra = queryParam(ctx, 'raw') === '1' ? { raw: redactBytes(raw, secrets()).toString('base64') } : {};
    ctx.body = { event: { ...normalized, ...extra }, deliveries };
  });
}
