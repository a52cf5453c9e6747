import type { ErrorDetail } from '../errors.js';
import type { BuiltRules } from './rules-build.js';
import type { ParsedYaml } from './rules-parse.js';
import type { Rules } from './rules-types.js';

/** `health.failing_after` when the rules say nothing. */
export const DEFAULT_FAILING_AFTER_MS = 10 * 60_000;
/** Shorter than this, one slow answer or one retry step would count as an outage. */
export const MIN_FAILING_AFTER_MS = 1000;

/** How long a destination may go without a success, while deliveries wait and fail, before it is failing. */
export function failingAfterOf(rules: Pick<Rules, 'destinations' | 'health'>, destination: string): number {
  return rules.destinations.get(destination)?.failingAfterMs ?? rules.health?.failingAfterMs ?? DEFAULT_FAILING_AFTER_MS;
}

/** What the schema cannot say: a failing_after of at least MIN_FAILING_AFTER_MS. */
export function checkHealth(rules: BuiltRules, parsed: ParsedYaml): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const tooShort = (ms: number): boolean => ms < MIN_FAILING_AFTER_MS;
  const message = (ms: number): string => `failing_after must be at least 1s (${ms} ms would announce every slow answer as an outage)`;
  const top = rules.health?.failingAfterMs;
  if (top !== undefined && (parsed.data as { health?: { failing_after?: unknown } }).health?.failing_after !== undefined && tooShort(top)) {
    errors.push({ path: parsed.where(['health', 'failing_after']), message: message(top) });
  }
  for (const spec of rules.destinations.values()) {
    if (spec.failingAfterMs !== undefined && tooShort(spec.failingAfterMs)) errors.push({ path: parsed.where(['destinations', spec.name, 'failing_after']), message: message(spec.failingAfterMs) });
  }
  return errors;
}
