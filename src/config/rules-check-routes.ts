import { KNOWN_TYPES } from '../domain/event.js';
import type { RelayEvent } from '../domain/event.js';
import { eventView } from '../domain/event-view.js';
import type { ErrorDetail } from '../errors.js';
import { EVENT_SCHEMA_NAMES, loadSchema } from '../ingest/load-schema.js';
import { RELAY_EVENT_TYPES, relayEventFields } from '../relay-events/catalog.js';
import { isGlob } from '../routing/glob.js';
import type { BuiltRules } from './rules-build.js';
import { DOCUMENTED_FIELDS } from './rules-fields.js';
import type { ParsedYaml } from './rules-parse.js';
import { didYouMean } from './rules-suggest.js';

/**
 * What a route can get wrong without breaking the schema, and then silently never match or
 * swallow events: no `to` (`to: []` is the way to drop on purpose), a `when` field no event has (`tpye`, `destination.nmae`): errors;
 * a `type` no schema knows (`roomdorp`): a warning, since EnableX adds types over time. A route
 * whose own `type` names such a new type may read fields no schema knows (warned about the type).
 */
export function checkRoutes(rules: BuiltRules, parsed: ParsedYaml, examples: readonly RelayEvent[]): { errors: ErrorDetail[]; warnings: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const warnings: ErrorDetail[] = [];
  const fields = knownFieldPaths(examples);
  const types = new Set<string>([...KNOWN_TYPES, ...RELAY_EVENT_TYPES, ...examples.map((e) => e.type)]);
  const data = (parsed.data as { routes?: { to?: unknown }[] }).routes ?? [];
  rules.routes.forEach((route, i) => {
    const to = data[i]?.to;
    // `to: []` drops on purpose; no `to` at all swallows the events by mistake.
    if (to === undefined || to === null) {
      errors.push({ path: parsed.where(['routes', i]), message: `route "${route.name}" has no "to": name the destination(s) that get what it matches (to drop such events on purpose, write to: [] and stop: true)` });
    }
    const typeCondition = route.when.find((w) => w.path === 'type');
    const unknownTypes = typeCondition ? exactValues(typeCondition.source).filter((t) => !types.has(t)) : [];
    // A type that is no near miss of a known one is taken as new: its fields are the admin's to know.
    const newType = unknownTypes.some((t) => didYouMean(t, types) === '');
    for (const t of unknownTypes) {
      warnings.push({
        path: parsed.where(['routes', i, 'when', 'type']),
        message: `type "${t}" is not one EnableX documents (${KNOWN_TYPES.join(', ')})${didYouMean(t, types)}: the route matches only events of that exact type`,
      });
    }
    for (const w of route.when) {
      const path = w.path.split('.').filter((s) => !/^\d+$/.test(s)).join('.');
      // Relay events' own fields hold lists of records (copies[].reason): their inside is theirs.
      // One EnableX documents too (`destination`, a relay.destination.* event's name) is EnableX's inside.
      const top = path.split('.')[0]!;
      if (fields.has(path) || newType || (RELAY_FIELDS.has(top) && !(DOCUMENTED_FIELDS as readonly string[]).includes(top))) continue;
      const hint = didYouMean(path, fields);
      errors.push({
        path: parsed.where(['routes', i, 'when', w.path], { key: true }),
        message: `when: no event has a field "${w.path}"${hint || ` (fields: ${DOCUMENTED_FIELDS.join(', ')}; nested ones as destination.name)`}, so the route would never match`,
      });
    }
  });
  return { errors, warnings };
}

/** The exact strings a condition names (globs and regexes say nothing about spelling), `not` included. */
function exactValues(source: unknown): string[] {
  if (typeof source === 'string') return isGlob(source) ? [] : [source];
  if (Array.isArray(source)) return source.flatMap(exactValues);
  if (source !== null && typeof source === 'object' && 'not' in source) return exactValues((source as { not: unknown }).not);
  return [];
}

let schemaPaths: Set<string> | null = null;
const RELAY_FIELDS = new Set(relayEventFields());

/** Every dotted path an event can have: the schemas' properties, the relay's own fields, and what the examples carry. */
export function knownFieldPaths(examples: readonly RelayEvent[]): Set<string> {
  schemaPaths ??= new Set(EVENT_SCHEMA_NAMES.flatMap((n) => pathsOfSchema(loadSchema(n), '')));
  // Relay events carry fields of their own (about.destination, files mirrored, ...).
  const out = new Set<string>([...schemaPaths, ...DOCUMENTED_FIELDS, ...relayEventFields()]);
  for (const e of examples) for (const p of pathsOfValue(eventView(e), '')) out.add(p);
  return out;
}

function pathsOfSchema(schema: unknown, prefix: string): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[key])) for (const sub of s[key]) out.push(...pathsOfSchema(sub, prefix));
  if (s.items) out.push(...pathsOfSchema(s.items, prefix));
  const props = s.properties;
  if (props !== null && typeof props === 'object') {
    for (const [name, sub] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.push(path, ...pathsOfSchema(sub, path));
    }
  }
  return out;
}

function pathsOfValue(v: unknown, prefix: string): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => pathsOfValue(x, prefix));
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return [path, ...pathsOfValue(x, path)];
  });
}
