import type { Context } from 'koa';
import type { AppDeps } from '../app.js';

/** /healthz: the process answers. */
export function healthz(ctx: Context): void {
  ctx.body = { status: 'ok' };
}

/** /readyz: the store answers and rules are loaded; 503 otherwise so a balancer stops sending. */
export function readyz(deps: AppDeps) {
  return async (ctx: Context): Promise<void> => {
    const checks: Record<string, string> = {};
    try {
      await deps.store.ping();
      checks['store'] = 'ok';
    } catch (err) {
      checks['store'] = `unavailable: ${(err as Error).message}`;
    }
    const rules = deps.destinations().rules;
    checks['rules'] = `ok (${rules.routes.length} routes, ${rules.destinations.size} destinations, ${rules.hash.slice(0, 12)})`;
    const ok = checks['store'] === 'ok';
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'not ready', checks };
  };
}
