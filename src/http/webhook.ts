import type { Context } from 'koa';
import { acceptPayload } from '../ingest/accept.js';
import { readBody } from '../ingest/read-body.js';
import { InvalidJsonError, RelayError, ReservedTypeError, SchemaInvalidError, StoreUnavailableError } from '../errors.js';
import { planDeliveries } from '../routing/plan-deliveries.js';
import { sessionTouch } from '../sessions/session-touch.js';
import type { AppDeps } from '../app.js';

/**
 * POST /webhooks/enablex: read, check, route and store in one transaction, then 200. The answer
 * waits for the durable commit and for nothing else: delivery happens in the worker.
 */
export function webhookHandler(deps: AppDeps) {
  const { settings, store, clock, logger } = deps;
  return async (ctx: Context): Promise<void> => {
    const receivedAt = clock.now();
    const raw = await readBody(ctx.req, settings.maxBodyBytes);
    const contentType = ctx.get('content-type') || null;
    let event;
    try {
      event = acceptPayload(raw, contentType, receivedAt);
    } catch (err) {
      if (err instanceof InvalidJsonError || err instanceof SchemaInvalidError || err instanceof ReservedTypeError) {
        await keepRejected(deps, err, raw, contentType, receivedAt, ctx.ip);
      }
      throw err;
    }
    const set = deps.destinations();
    const planned = planDeliveries(event, set);
    const session = sessionTouch(event, set.rules.expectations ?? []);
    let result;
    try {
      const dedupeSince = new Date(receivedAt.getTime() - settings.dedupeWindowMs);
      const stored = store.ingest(event, planned, session ? { dedupeSince, session } : { dedupeSince });
      // Woken now, the worker's claim joins the commit that stores this event: one commit from
      // POST to send, not two.
      const early = store.claimJoinsIngest && planned.length > 0;
      if (early) deps.onIngested?.();
      result = await stored;
      if (!early && !result.duplicate) deps.onIngested?.();
    } catch (err) {
      throw err instanceof RelayError ? err : new StoreUnavailableError((err as Error).message);
    }
    ctx.state['eventType'] = event.type;
    logger.info(
      { id: result.eventId, type: event.type, app_id: event.appId, duplicate: result.duplicate, deliveries: result.deliveries, routes: result.duplicate ? [] : planned.map((p) => p.route ?? 'fallback') },
      result.duplicate ? 'duplicate event: not delivered again' : planned.length ? 'event accepted' : 'event accepted: no route matched and no fallback (kept as unrouted)',
    );
    ctx.status = 200;
    ctx.body = { id: result.eventId, duplicate: result.duplicate, deliveries: result.deliveries };
  };
}

/** Nothing that arrived is lost: authenticated bodies that fail their checks are kept. */
async function keepRejected(deps: AppDeps, err: RelayError, raw: Buffer, contentType: string | null, at: Date, ip: string): Promise<void> {
  try {
    await deps.store.recordRejected(
      { receivedAt: at.toISOString(), code: err.code, reason: [err.message, ...err.details.map((d) => `${d.path ?? ''} ${d.message}`.trim())].join('; '), raw, contentType, remoteAddr: ip },
      deps.settings.rejectedKeep,
    );
  } catch (storeErr) {
    deps.logger.error({ err: String(storeErr) }, 'could not keep a rejected body');
  }
}
