import type { Context } from 'koa';
import type { AppDeps } from '../app.js';
import { StoreUnavailableError } from '../errors.js';

/** /healthz: the process answers. */
export function healthz(ctx: Context): void {
  ctx.body = { status: 'ok' };
}

/**
 * /readyz: the store answers and rules are loaded; 503 otherwise so a balancer stops sending.
 * Unauthenticated, so a store failure is answered with a code and a plain sentence; its detail
 * (hosts, users, paths) is logged, once each time it changes rather than at every probe.
 */
export function readyz(deps: AppDeps) {
  let lastLogged = '';
  return async (ctx: Context): Promise<void> => {
    const checks: Record<string, string> = {};
    try {
      await deps.store.ping();
      checks['store'] = 'ok';
      lastLogged = '';
    } catch (err) {
      const detail = (err as Error).message ?? String(err);
      if (detail !== lastLogged) deps.logger.warn({ err: detail }, 'readiness: the store does not answer');
      lastLogged = detail;
      checks['store'] = `unavailable (store_unavailable): ${StoreUnavailableError.PUBLIC}`;
    }
    const rules = deps.destinations().rules;
    checks['rules'] = `ok (${rules.routes.length} routes, ${rules.destinations.size} destinations, ${rules.hash.slice(0, 12)})`;
    const ok = checks['store'] === 'ok';
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'not ready', checks };
  };
}
