import type { Rules } from '../../config/rules-types.js';
import { eventView } from '../../domain/event-view.js';
import { RelayError } from '../../errors.js';
import { acceptPreviewPayload } from '../../ingest/accept-preview.js';
import { routeEvent } from '../route-event.js';
import type { RouteCase } from './load-cases.js';

export interface CaseResult {
  name: string;
  where: string;
  passed: boolean;
  /** What differed, one line each; empty when passed. */
  problems: string[];
  /** What routing gave (absent when the event itself was refused). */
  got?: { destinations: string[]; routes: string[] };
}

/**
 * Each case's event through the intake's own checks and the rules' routing, nothing sent:
 * what `amtool config routes test` does for Alertmanager. Destinations and routes are compared
 * as sets; a name the rules do not define is reported as such, not only as "missing".
 */
export function runCases(cases: RouteCase[], rules: Rules, now = new Date()): CaseResult[] {
  return cases.map((c) => {
    let event;
    try {
      event = acceptPreviewPayload(c.raw, 'application/json', now);
    } catch (err) {
      const details = err instanceof RelayError ? err.details.map((d) => `  ${d.path ?? ''} ${d.message}`.trimEnd()) : [];
      return { name: c.name, where: c.where, passed: false, problems: [`the event at ${c.eventWhere} is not one the relay accepts: ${(err as Error).message}`, ...details] };
    }
    const routed = routeEvent(rules, eventView(event));
    const got = { destinations: routed.deliveries.map((d) => d.destination), routes: routed.matched.map((m) => m.route) };
    const problems = [
      ...compare('destinations', c.destinations, got.destinations, new Set(rules.destinations.keys()), c.destinationsWhere),
      ...(c.routes ? compare('routes', c.routes, got.routes, new Set(rules.routes.map((r) => r.name)), c.routesWhere!) : []),
    ];
    return { name: c.name, where: c.where, passed: problems.length === 0, problems, got };
  });
}

function compare(what: string, want: string[], got: string[], defined: Set<string>, where: string): string[] {
  const missing = want.filter((w) => !got.includes(w));
  const extra = got.filter((g) => !want.includes(g));
  if (missing.length === 0 && extra.length === 0) return [];
  const lines = [`${what}: expected ${list(want)}, got ${list(got)} (${where})`];
  for (const m of missing) lines.push(defined.has(m) ? `  missing: ${m}` : `  missing: ${m} (no ${what === 'routes' ? 'route' : 'destination'} of that name in the rules)`);
  for (const e of extra) lines.push(`  unexpected: ${e}`);
  return lines;
}

const list = (names: string[]): string => (names.length ? `[${names.join(', ')}]` : 'none');
