import type { ErrorDetail } from '../errors.js';
import { compileCondition } from '../routing/match.js';
import { DEFAULT_RETRY_SCHEDULE, parseDuration } from './rules-duration.js';
import type { ParsedYaml } from './rules-parse.js';
import type { DestinationKindName, DestinationSpec, RouteSpec, Rules } from './rules-types.js';
import type { ExpectationSpec } from '../sessions/expectation.js';

/** The shape of a rules file once it passed rules.schema.json. */
export interface RulesData {
  version: 1;
  destinations: Record<string, Partial<Record<DestinationKindName, Record<string, unknown> | null>> & { concurrency?: number }>;
  routes?: { name: string; when?: Record<string, unknown> | null; to?: string | string[]; stop?: boolean }[];
  fallback?: string;
  sessions?: { expect?: { name: string; after: string; then: string; within: string; when?: Record<string, unknown> | null }[] };
  retry?: { schedule?: string[] };
  /** Routing test cases that `enx-relay check` runs (path relative to the rules file). */
  tests?: string;
}

export const KIND_NAMES: readonly DestinationKindName[] = ['slack', 'email', 'http', 'log', 'mirror'];

export type BuiltRules = Pick<Rules, 'version' | 'destinations' | 'routes' | 'fallback' | 'retry' | 'expectations'>;

/** Schema-valid data -> typed rules with defaults applied and conditions compiled. */
export function buildRules(data: RulesData, parsed: ParsedYaml): { rules: BuiltRules; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];

  const destinations = new Map<string, DestinationSpec>();
  for (const [name, d] of Object.entries(data.destinations)) {
    const kind = KIND_NAMES.find((k) => k in d) as DestinationKindName;
    const spec: DestinationSpec = { name, kind, options: { ...(d[kind] ?? {}) }, pos: parsed.posAt(['destinations', name], { key: true }) };
    if (d.concurrency !== undefined) spec.concurrency = d.concurrency;
    destinations.set(name, spec);
  }

  const routes: RouteSpec[] = (data.routes ?? []).map((r, i) => {
    const when: RouteSpec['when'] = [];
    for (const [path, source] of Object.entries(r.when ?? {})) {
      const { test, problems } = compileCondition(source);
      for (const p of problems) errors.push({ path: parsed.where(['routes', i, 'when', path, ...p.path]), message: p.message });
      when.push({ path, test, source });
    }
    const to = r.to === undefined ? [] : Array.isArray(r.to) ? [...r.to] : [r.to];
    return { name: r.name, when, to, stop: r.stop ?? false, pos: parsed.posAt(['routes', i]) };
  });

  const expectations: ExpectationSpec[] = (data.sessions?.expect ?? []).map((x, i) => {
    const when: ExpectationSpec['when'] = [];
    for (const [path, source] of Object.entries(x.when ?? {})) {
      const { test, problems } = compileCondition(source);
      for (const p of problems) errors.push({ path: parsed.where(['sessions', 'expect', i, 'when', path, ...p.path]), message: p.message });
      when.push({ path, test, source });
    }
    return { name: x.name, after: x.after, then: x.then, withinMs: parseDuration(x.within), when, pos: parsed.posAt(['sessions', 'expect', i]) };
  });

  const schedule = data.retry?.schedule ?? [...DEFAULT_RETRY_SCHEDULE];
  return {
    rules: {
      version: 1,
      destinations,
      routes,
      fallback: data.fallback ?? null,
      retry: { scheduleMs: schedule.map((s) => parseDuration(s)) },
      expectations,
    },
    errors,
  };
}
