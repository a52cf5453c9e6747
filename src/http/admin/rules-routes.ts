import type Router from '@koa/router';
import type { RulesStatus } from '../../config/rules-holder.js';
import type { Rules } from '../../config/rules-types.js';
import { NotFoundError, RulesInvalidError } from '../../errors.js';
import type { AdminContext } from './admin-context.js';
import { readQuery } from './query-params.js';

/**
 * GET /admin/rules: which rules are in force, the last reload's result and the last refused one.
 * GET /admin/rules/source: the text of the rules in force, secrets masked.
 * POST /admin/rules/reload: read the file again; a file that fails its checks is refused with
 * its errors (422) and the rules in force stay (promise 3).
 */
export function rulesRoutes(router: Router, { deps }: AdminContext): void {
  router.get('/rules', (ctx) => {
    readQuery(ctx, []);
    const rules = deps.destinations().rules;
    const status: RulesStatus = deps.rules?.status() ?? { file: rules.file, hash: rules.hash, loadedAt: rules.loadedAt, lastError: null, lastReload: null };
    ctx.body = { ...status, ...rulesSummary(rules), tests: rules.tests ?? null };
  });

  // The text in force, as loaded: `${VAR}` references stay as written, and every secret (literal
  // credentials too) is masked by the admin API on the way out.
  router.get('/rules/source', (ctx) => {
    readQuery(ctx, []);
    const rules = deps.destinations().rules;
    ctx.body = { file: rules.file, hash: rules.hash, loadedAt: rules.loadedAt, text: rules.source ?? null };
  });

  router.post('/rules/reload', async (ctx) => {
    readQuery(ctx, []);
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
