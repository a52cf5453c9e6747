import { KNOWN_TYPES, type RelayEvent } from '../domain/event.js';
import type { ErrorDetail } from '../errors.js';
import { MIRROR_FAILED, MIRRORED } from '../relay-events/types/recording-mirror.js';
import type { BuiltRules } from './rules-build.js';
import { knownFieldPaths } from './rules-check-routes.js';
import { DOCUMENTED_FIELDS } from './rules-fields.js';
import type { ParsedYaml } from './rules-parse.js';
import { didYouMean } from './rules-suggest.js';

/** Relay events that are part of a session's story, and may be awaited (a recording mirrored in time). */
const SESSION_RELAY_TYPES = [MIRRORED, MIRROR_FAILED];

/**
 * `sessions.expect`: unique names, `after` and `then` types the relay knows (EnableX's, those of
 * the examples, a mirror's announcements) and not the same, a `within` of more than nothing,
 * and `when` fields some event has, as for routes. The relay's own session events cannot be
 * awaited nor start a wait: an overdue would feed on itself.
 */
export function checkExpectations(rules: BuiltRules, parsed: ParsedYaml, examples: readonly RelayEvent[]): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const list = rules.expectations ?? [];
  const types = new Set<string>([...KNOWN_TYPES, ...SESSION_RELAY_TYPES, ...examples.map((e) => e.type).filter((t) => !t.startsWith('relay.'))]);
  const fields = list.some((x) => x.when.length > 0) ? knownFieldPaths(examples) : new Set<string>();
  const first = new Map<string, number>();
  list.forEach((x, i) => {
    const at = (...path: (string | number)[]): string => parsed.where(['sessions', 'expect', i, ...path]);
    const had = first.get(x.name);
    if (had !== undefined) {
      const p = list[had]!.pos;
      errors.push({ path: at('name'), message: `duplicate expectation name "${x.name}" (first at line ${p.line}, column ${p.column})` });
    } else first.set(x.name, i);
    for (const key of ['after', 'then'] as const) {
      const t = x[key];
      if (types.has(t)) continue;
      errors.push({ path: at(key), message: `${key}: "${t}" is not an event type the relay knows${didYouMean(t, types) || ` (${[...types].join(', ')})`}` });
    }
    if (x.after === x.then) errors.push({ path: at('then'), message: `then: "${x.then}" is also its after: an event cannot be awaited after itself` });
    if (x.withinMs <= 0) errors.push({ path: at('within'), message: 'within: must be more than 0' });
    for (const w of x.when) {
      const path = w.path.split('.').filter((s) => !/^\d+$/.test(s)).join('.');
      if (fields.has(path)) continue;
      const hint = didYouMean(path, fields);
      errors.push({
        path: parsed.where(['sessions', 'expect', i, 'when', w.path], { key: true }),
        message: `when: no event has a field "${w.path}"${hint || ` (fields: ${DOCUMENTED_FIELDS.join(', ')}; nested ones as destination.name)`}, so the expectation would never start`,
      });
    }
  });
  return errors;
}
