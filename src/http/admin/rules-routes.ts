import type Router from '@koa/router';
import type { RulesStatus } from '../../config/rules-holder.js';
import type { Rules } from '../../config/rules-types.js';
import { NotFoundError, RulesInvalidError } from '../../errors.js';
import type { AdminContext } from './admin-context.js';

/**
 * GET /admin/rules: which rules are in force and the last refused reload.
 * POST /admin/rules/reload: read the file again; a file that fails its checks is refused with
 * its errors (422) and the rules in force stay (promise 3).
 */
export function rulesRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/rules', (ctx) => {
    const rules = deps.destinations().rules;
    const status: RulesStatus = deps.rules?.status() ?? { file: rules.file, hash: rules.hash, loadedAt: rules.loadedAt, lastError: null };
    ctx.body = { ...status, ...rulesSummary(rules) };
  });

  router.post('/rules/reload', async (ctx) => {
    if (!deps.rules) throw new NotFoundError('rules reload (no rules holder in this process)');
    const before = deps.destinations().rules.hash;
    const result = await deps.rules.reload();
    if (!result.ok) throw new RulesInvalidError(deps.rules.status().file, result.errors, 422);
    deps.logger.info({ hash: result.rules.hash }, 'admin: rules reloaded');
    ctx.body = { applied: true, hash: result.rules.hash, changed: result.rules.hash !== before, warnings: result.warnings };
  });
}

/**
 * What the rules do, without any destination's options: they hold tokens, passwords and signing
 * secrets (promise 4), and the admin needs names and kinds to read the routes anyway.
 */
export function rulesSummary(rules: Rules) {
  return {
    destinations: [...rules.destinations.values()].map((d) => ({ name: d.name, kind: d.kind })),
    routes: rules.routes.map((r) => ({ name: r.name, when: Object.fromEntries(r.when.map((w) => [w.path, w.source])), to: r.to, stop: r.stop })),
    fallback: rules.fallback,
    retry: { scheduleMs: rules.retry.scheduleMs },
  };
}
