import type { ErrorObject } from 'ajv';
import type { ErrorDetail } from '../errors.js';

type Schema = Record<string, unknown>;

/**
 * Turns ajv's errors into one readable detail per problem, for the 422 answer and the rejected
 * log. ajv reports an `anyOf` as every failed branch plus "must match a schema in anyOf", which
 * reads as noise: when the value's JSON type picks one branch (an array for "URL or array of
 * URLs"), only that branch's errors below the path are kept, so `/recording/0` is named; otherwise
 * the branches collapse into one message for the path. A schema node may carry `x-error`, the message to show
 * for any failure of that node.
 *
 * At most `limit` details are written out; `omitted` counts the problems after them (one body of
 * 260 KB can hold 130,000 bad items, and its answer must stay about as small as the body).
 */
export function readableErrors(errors: readonly ErrorObject[], limit = Number.POSITIVE_INFINITY): { details: ErrorDetail[]; omitted: number } {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const kept = collapseAnyOf(errors);
  let i = 0;
  for (; i < kept.length && details.length < limit; i++) {
    const detail = describe(kept[i]!);
    const key = `${detail.path}\u0000${detail.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      details.push(detail);
    }
  }
  return { details, omitted: kept.length - i };
}

function collapseAnyOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  // Outermost first, so a branch error of a dropped branch is never considered on its own.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const anyOf of anyOfs) {
    if (dropped.has(anyOf)) continue;
    const branches = Array.isArray(anyOf.schema) ? (anyOf.schema as Schema[]) : [];
    const fitting = branches.flatMap((b, i) => (fitsType(b, anyOf.data) ? [i] : []));
    const chosen = fitting.length === 1 ? fitting[0] : undefined;
    // The node's own message says it better than a branch's `pattern` or `minimum` at the same path.
    const ownMessage = typeof (anyOf.parentSchema as Schema | undefined)?.['x-error'] === 'string';
    const prefix = `${anyOf.schemaPath}/`;
    let chosenKept = false;
    // One pass over the errors per anyOf (a body has a handful of them, and maybe 100k errors).
    for (const e of errors) {
      if (e === anyOf || !e.schemaPath.startsWith(prefix) || !isWithin(e.instancePath, anyOf.instancePath)) continue;
      const branch = Number(e.schemaPath.slice(prefix.length, e.schemaPath.indexOf('/', prefix.length)));
      if (!(branch >= 0 && branch < branches.length)) continue;
      if (branch !== chosen || (ownMessage && e.instancePath === anyOf.instancePath)) dropped.add(e);
      else chosenKept = true;
    }
    if (chosenKept) dropped.add(anyOf);
  }
  return dropped.size === 0 ? [...errors] : errors.filter((e) => !dropped.has(e));
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function fitsType(schema: Schema, data: unknown): boolean {
  const declared = schema.type;
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  return types.some((t) => jsonType(data) === t || (t === 'number' && jsonType(data) === 'integer'));
}

function jsonType(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'array';
  if (typeof data === 'number') return Number.isInteger(data) ? 'integer' : 'number';
  return typeof data;
}

function describe(e: ErrorObject): ErrorDetail {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    return { path: `${e.instancePath}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
  }
  const custom = (e.parentSchema as Schema | undefined)?.['x-error'];
  if (typeof custom === 'string') return { path: e.instancePath, message: custom };
  return { path: e.instancePath, message: plainMessage(e.keyword, params, e.message) };
}

function plainMessage(keyword: string, params: Record<string, unknown>, fallback: string | undefined): string {
  switch (keyword) {
    case 'type':
      return `must be ${String(params.type).split(',').map(withArticle).join(' or ')}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return params.format === 'uri' ? 'must be a URL' : `must be a valid ${String(params.format)}`;
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    case 'pattern':
      return 'does not have the expected form';
    case 'anyOf':
      return 'does not have any of the accepted forms';
    default:
      return fallback ?? 'is invalid';
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
