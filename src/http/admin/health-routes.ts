import type Router from '@koa/router';
import { HEALTH_CAP } from '../../store/admin-types.js';
import type { AdminContext } from './admin-context.js';
import { readQuery } from './query-params.js';

const WINDOW_MS = 60_000;

/**
 * GET /admin/health: the dashboard's strip. Events received in the last minute, and for each
 * destination of the rules in force its unfinished deliveries, the oldest of them and its dead
 * ones. Every count stops at HEALTH_CAP (`atLeast` then says so): the strip is polled, and a
 * backlog of a million must cost what one of ten does.
 */
export function healthRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/health', async (ctx) => {
    readQuery(ctx, []);
    const now = deps.clock.now();
    const rules = deps.destinations().rules;
    const specs = [...rules.destinations.values()];
    const [received, destinations] = await Promise.all([
      deps.store.countEventsSince(new Date(now.getTime() - WINDOW_MS), HEALTH_CAP),
      deps.store.destinationHealth(specs.map((d) => d.name)),
    ]);
    ctx.body = {
      at: now.toISOString(),
      intake: { windowSeconds: WINDOW_MS / 1000, received, atLeast: received >= HEALTH_CAP },
      destinations: destinations.map((h, i) => ({ ...h, kind: specs[i]!.kind, atLeast: h.unfinished >= HEALTH_CAP || h.dead >= HEALTH_CAP })),
      cap: HEALTH_CAP,
      rules: { hash: rules.hash, loadedAt: rules.loadedAt, lastReload: deps.rules?.status().lastReload?.result ?? null },
    };
  });
}
