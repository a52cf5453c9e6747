import type Router from '@koa/router';
import { parseStatus } from '../../commands/parse-status.js';
import { parseWhen } from '../../commands/parse-when.js';
import { deadReason } from '../../domain/dead-reason.js';
import type { Delivery } from '../../domain/delivery.js';
import { NotFoundError } from '../../errors.js';
import type { AdminContext } from './admin-context.js';
import { encodeCursor, eventCursor } from './cursor.js';
import { asField, fieldError, parseLimit, readQuery } from './query-params.js';
import { redactBytes } from './redact.js';

const LIST = ['status', 'type', 'app_id', 'room_id', 'since', 'until', 'cursor', 'limit'] as const;

/** Each delivery with its dead reason (null unless dead), so no client parses errors itself. */
export const withReason = <D extends Delivery>(d: D): D & { reason: string | null } => ({ ...d, reason: d.status === 'dead' ? deadReason(d.lastError) : null });

/**
 * GET /admin/events: events newest first with their deliveries (what `enx-relay events` lists),
 * filtered, one page at a time: `nextCursor` continues older. A page reads a bounded window of
 * an index, so with rare filters it may hold fewer than `limit` events (even none) and still
 * have a `nextCursor`.
 * GET /admin/events/:id: one event as normalized, its deliveries and every attempt of each. The
 * raw bytes only on `?raw=1`, as base64: they are the sender's, byte for byte (secrets masked).
 */
export function eventsRoutes(router: Router, { deps, secrets }: AdminContext): void {
  router.get('/events', async (ctx) => {
    const q = readQuery(ctx, LIST);
    const now = deps.clock.now();
    const when = (field: 'since' | 'until'): Date | undefined => (q[field] === undefined ? undefined : asField(field, () => parseWhen(field, q[field]!, now)));
    const page = await deps.store.pageEvents({
      limit: parseLimit(q.limit, 50, 500),
      status: asField('status', () => parseStatus(q.status, 'status')),
      type: q.type,
      appId: q.app_id,
      roomId: q.room_id,
      since: when('since'),
      until: when('until'),
      before: q.cursor === undefined ? undefined : eventCursor(q.cursor),
    });
    ctx.body = {
      events: page.items.map((e) => ({ ...e, deliveries: e.deliveries.map(withReason) })),
      nextCursor: page.next && encodeCursor(page.next),
    };
  });

  router.get('/events/:id', async (ctx) => {
    const { raw: rawFlag } = readQuery(ctx, ['raw']);
    if (rawFlag !== undefined && rawFlag !== '1' && rawFlag !== '0') throw fieldError('raw', `raw must be 1 or 0, not "${rawFlag}"`);
    const id = ctx.params['id']!;
    const event = await deps.store.getEvent(id);
    if (!event) throw new NotFoundError(`event ${id}`);
    const { raw, ...normalized } = event;
    const deliveries = await Promise.all(
      (await deps.store.listDeliveries(event.id)).map(async (d) => ({ ...withReason(d), attemptLog: await deps.store.listAttempts(d.id) })),
    );
    const extra = rawFlag === '1' ? { raw: redactBytes(raw, secrets()).toString('base64') } : {};
    ctx.body = { event: { ...normalized, ...extra }, deliveries };
  });
}
