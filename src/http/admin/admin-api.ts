import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../app.js';
import type { RulesStatus } from '../../config/rules-holder.js';
import type { RulesResult } from '../../config/rules-types.js';
import { RelayError } from '../../errors.js';
import { adminContext } from './admin-context.js';
import { bearerAuth } from './bearer-auth.js';
import { deadLettersRoutes } from './dead-letters-routes.js';
import { eventsRoutes } from './events-routes.js';
import { examplesRoutes } from './examples-routes.js';
import { healthRoutes } from './health-routes.js';
import { redactJson, redactText } from './redact.js';
import { rejectedRoutes } from './rejected-routes.js';
import { replayRoutes } from './replay-routes.js';
import { routeTestRoutes } from './route-test-routes.js';
import { rulesRoutes } from './rules-routes.js';
import { sessionsRoutes } from './sessions-routes.js';

/** The part of the RulesHolder the admin API uses. */
export interface RulesControl {
  status(): RulesStatus;
  reload(): Promise<RulesResult>;
}

const PREFIX = '/admin';

/** Every group of admin routes; the OpenAPI document (openapi.ts) describes each of their paths. */
export const ADMIN_ROUTES = [eventsRoutes, sessionsRoutes, deadLettersRoutes, replayRoutes, rulesRoutes, routeTestRoutes, rejectedRoutes, examplesRoutes, healthRoutes];

/**
 * The admin API under /admin, behind a bearer token. Every path under /admin is checked, known or
 * not, so the API's shape is not visible without the token. Every answer, errors included, has
 * each string passed through the secret mask (promise 4), on top of destinations masking their
 * own credentials when they render.
 */
export function adminApi(deps: AppDeps, token: string): Middleware {
  const admin = adminContext(deps);
  const router = new Router({ prefix: PREFIX });
  for (const group of ADMIN_ROUTES) group(router, admin);
  // @koa/router types its middleware for its own context; the plain Koa context is what it gets at run time.
  const routes = router.routes() as unknown as Middleware;
  const allowed = router.allowedMethods() as unknown as Middleware;
  const authorize = bearerAuth(token);

  return async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    ctx.set('Cache-Control', 'no-store');
    authorize(ctx);
    try {
      await routes(ctx, () => allowed(ctx, async () => undefined));
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      const secrets = admin.secrets();
      const details = err.details.map((d) => ({ ...d, path: d.path === undefined ? undefined : redactText(d.path, secrets), message: redactText(d.message, secrets) }));
      throw new RelayError(err.code, redactText(err.message, secrets), err.httpStatus, err.retryable, details);
    }
    if (ctx.body !== undefined && ctx.body !== null && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body)) {
      ctx.body = redactJson(ctx.body, admin.secrets());
    }
  };
}
