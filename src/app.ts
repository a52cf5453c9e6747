import Koa from 'koa';
import Router from '@koa/router';
import type { Settings } from './config/env.js';
import type { Clock } from './domain/clock.js';
import type { DestinationSet } from './delivery/destination-set.js';
import type { Logger } from './logger.js';
import type { Store } from './store/store.js';
import { adminApi, type RulesControl } from './http/admin/admin-api.js';
import { basicAuth } from './http/basic-auth.js';
import { dashboardRoute } from './http/dashboard/dashboard-route.js';
import { errorHandler } from './http/error-handler.js';
import { healthz, readyz } from './http/health.js';
import { countIntake, type RelayMetrics } from './http/metrics.js';
import { openApiRoute } from './http/openapi/openapi-route.js';
import { webhookHandler } from './http/webhook.js';

export interface AppDeps {
  settings: Settings;
  store: Store;
  /** The destinations (and rules) in force; swapped when the rules file is reloaded. */
  destinations: () => DestinationSet;
  /** Status and reload of the rules file, for the admin API (absent: rules status only, no reload). */
  rules?: RulesControl;
  clock: Clock;
  logger: Logger;
  metrics?: RelayMetrics;
  /** Every secret to mask in answers: static ones and those of every rules loaded so far. */
  secrets?: () => string[];
  /** Called after an event is committed or deliveries are replayed: wakes the worker. */
  onIngested?: () => void;
}

/** The Koa app, without listening: tests and main both drive it. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.proxy = false;
  const router = new Router();
  router.post('/webhooks/enablex', countIntake(deps.metrics), basicAuth(deps.settings.ingestAuth), webhookHandler(deps));
  router.get('/healthz', healthz);
  router.get('/readyz', readyz(deps));
  if (deps.metrics) router.get('/metrics', deps.metrics.handler());
  router.get('/openapi.json', openApiRoute());
  app.use(errorHandler(deps.logger));
  // Without RELAY_ADMIN_TOKEN the admin API does not exist: /admin/* answers 404 like any unknown path.
  if (deps.settings.adminToken) app.use(adminApi(deps, deps.settings.adminToken));
  // The page does everything through the admin API: without the API there is no page either.
  if (deps.settings.adminToken) app.use(dashboardRoute());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
