import type { CheckContext, DestinationKind } from '../delivery/destination.js';
import type { RelayEvent } from '../domain/event.js';
import type { ErrorDetail } from '../errors.js';
import { compileTemplate, unknownFields } from '../templates/engine.js';
import type { BuiltRules } from './rules-build.js';
import { checkRoutes } from './rules-check-routes.js';
import { checkExpectations } from './rules-check-sessions.js';
import { rulesKnownFields } from './rules-fields.js';
import { didYouMean } from './rules-suggest.js';
import type { ParsedYaml } from './rules-parse.js';
import type { DestinationKindName } from './rules-types.js';

/** The options of each kind that are LiquidJS templates. */
export const TEMPLATE_OPTIONS: Record<DestinationKindName, readonly string[]> = {
  slack: ['text', 'blocks'],
  email: ['subject', 'text', 'html'],
  http: ['body'],
  log: ['template'],
  // A mirror's `key` reads fields of its own (file_name): mirror-check.ts checks it.
  mirror: [],
};

export interface CheckOptions {
  kinds?: ReadonlyMap<string, DestinationKind>;
  examples?: RelayEvent[];
  /** The environment the relay will run with: kinds check that what they need is set. */
  env?: Record<string, string | undefined>;
}

/**
 * The checks a schema cannot express: names that must refer to something, unique route names,
 * templates that compile and read only known fields, and each kind's own checks. Also warnings
 * for what is legal but almost surely not meant.
 */
export function checkRules(rules: BuiltRules, parsed: ParsedYaml, opts: CheckOptions): { errors: ErrorDetail[]; warnings: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const warnings: ErrorDetail[] = [];
  const { destinations, routes } = rules;

  const firstByName = new Map<string, number>();
  routes.forEach((route, i) => {
    const first = firstByName.get(route.name);
    if (first !== undefined) {
      const p = routes[first]?.pos;
      errors.push({ path: parsed.where(['routes', i, 'name']), message: `duplicate route name "${route.name}" (first at line ${p?.line}, column ${p?.column})` });
    } else firstByName.set(route.name, i);
    route.to.forEach((dest, j) => {
      if (destinations.has(dest)) return;
      const path = Array.isArray((parsed.data as { routes: { to: unknown }[] }).routes[i]?.to) ? ['routes', i, 'to', j] : ['routes', i, 'to'];
      errors.push({ path: parsed.where(path), message: `route "${route.name}" sends to "${dest}", which is not a defined destination` });
    });
  });
  const routeProblems = checkRoutes(rules, parsed, opts.examples ?? []);
  errors.push(...routeProblems.errors);
  warnings.push(...routeProblems.warnings);
  errors.push(...checkExpectations(rules, parsed, opts.examples ?? []));
  if (rules.fallback !== null && !destinations.has(rules.fallback)) {
    errors.push({ path: parsed.where(['fallback']), message: `fallback "${rules.fallback}" is not a defined destination` });
  }

  const known = rulesKnownFields(opts.examples ?? []);
  for (const spec of destinations.values()) {
    for (const option of TEMPLATE_OPTIONS[spec.kind]) {
      const source = spec.options[option];
      if (typeof source !== 'string' || (spec.kind === 'http' && option === 'body' && source === 'original')) continue;
      const at = parsed.where(['destinations', spec.name, spec.kind, option]);
      try {
        // A warning, not an error: EnableX adds event types (and fields) before any schema or
        // example here knows them, and a template written for one must load (`{{ cdr.duration_s }}`).
        const unknown = unknownFields(compileTemplate(source), known);
        for (const name of unknown) warnings.push({ path: at, message: `${spec.kind}.${option} uses unknown field "${name}"${didYouMean(name, known)}: no event schema or example has it, so it renders empty for events without it` });
      } catch (err) {
        errors.push({ path: at, message: `${spec.kind}.${option}: ${(err as Error).message}` });
      }
    }
    const kind = opts.kinds?.get(spec.kind);
    if (kind?.check) {
      const ctx: CheckContext = {
        posOf: (optionPath) => parsed.where(['destinations', spec.name, spec.kind, ...optionPath]),
        examples: opts.examples ?? [],
        env: opts.env,
      };
      const own = parsed.where(['destinations', spec.name], { key: true });
      try {
        for (const p of kind.check(spec, ctx)) errors.push({ path: p.path ?? own, message: p.message });
      } catch (err) {
        errors.push({ path: own, message: `${spec.kind} check failed: ${(err as Error).message}` });
      }
    }
  }

  const used = new Set(routes.flatMap((r) => r.to));
  if (rules.fallback !== null) used.add(rules.fallback);
  for (const name of destinations.keys()) {
    if (!used.has(name)) warnings.push({ path: parsed.where(['destinations', name], { key: true }), message: `destination "${name}" is not used by any route nor as fallback` });
  }
  const catchAll = routes.findIndex((r) => r.stop && r.when.length === 0);
  for (let i = catchAll + 1; catchAll >= 0 && i < routes.length; i++) {
    warnings.push({ path: parsed.where(['routes', i]), message: `route "${routes[i]?.name}" is never tried: "${routes[catchAll]?.name}" above matches every event and stops` });
  }
  return { errors, warnings };
}
