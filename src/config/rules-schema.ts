import type { ErrorObject, ValidateFunction } from 'ajv';
import { rulesValidatorSetup } from '../validators/ajv-setups.js';
import { validatorFor } from '../validators/precompiled.js';
import type { YamlPath } from './rules-parse.js';

export interface SchemaProblem {
  path: YamlPath;
  /** Point at the key rather than its value (unknown keys, bad names). */
  key: boolean;
  message: string;
}

let validator: ValidateFunction | null = null;

/** Once, on first use: the build's precompiled validator, or compiled now (from src/). */
function compile(): ValidateFunction {
  return (validator ??= validatorFor(rulesValidatorSetup()));
}

/** Checks the rules data against schemas/rules.schema.json; every problem, one per place. */
export function validateRulesSchema(data: unknown): SchemaProblem[] {
  const validate = compile();
  if (validate(data)) return [];
  const errors = (validate.errors ?? []).filter(keep);
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const err of errors) {
    const problem = describe(err);
    const id = `${problem.path.join('\u0000')}|${problem.key}|${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(problem);
    }
  }
  return out;
}

const COMPOSITE = new Set(['anyOf', 'oneOf']);

/**
 * A failed anyOf/oneOf also reports why each of its branches failed: noise to an admin. Keep the
 * composite's own message (its `errorMessage`) at the deepest place one failed, and drop what
 * its branches said about that same value.
 */
function keep(err: ErrorObject, _i: number, all: ErrorObject[]): boolean {
  // The inner error of a bad property name says more (and where) than `propertyNames` itself.
  if (err.keyword === 'propertyNames') return false;
  const composites = all.filter((e) => COMPOSITE.has(e.keyword));
  if (COMPOSITE.has(err.keyword)) {
    // "exactly one of these keys" says something of its own even when a deeper value is also wrong.
    if (onlyRequired(err.schema)) return true;
    return !composites.some((c) => c.instancePath !== err.instancePath && isUnder(c.instancePath, err.instancePath));
  }
  // Beside the composite, its schema's own keywords (`additionalProperties`) share its parentSchema;
  // anything else about that same value came from one of its branches.
  return !composites.some((c) => c.instancePath === err.instancePath && c.parentSchema !== err.parentSchema);
}

function onlyRequired(branches: unknown): boolean {
  return Array.isArray(branches) && branches.every((b) => Object.keys(b as object).every((k) => k === 'required'));
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The value quoted, and for a URL without its scheme (`127.0.0.1:9101/hook`) what to write. */
function patternMessage(value: string, expected: string): string {
  if (/\bURL\b/.test(expected) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `"${value}" has no scheme: write "http://${value}" (or https://)`;
  return `"${value}": ${expected}`;
}

function describe(err: ErrorObject): SchemaProblem {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const custom = (err.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
  const propertyName = (err as ErrorObject & { propertyName?: string }).propertyName;
  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String((err.params as { additionalProperty: string }).additionalProperty);
      return { path: [...path, name], key: true, message: `unknown key "${name}"` };
    }
    case 'required':
      return { path, key: false, message: `missing required key "${String((err.params as { missingProperty: string }).missingProperty)}"` };
    case 'const':
      return { path, key: false, message: `must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { path, key: false, message: `must be one of: ${((err.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` };
    default:
      // A value that does not match its pattern is quoted; a bad property name is said below.
      if (err.keyword === 'pattern' && propertyName === undefined && typeof err.data === 'string') {
        return { path, key: false, message: patternMessage(err.data, custom ?? err.message ?? 'invalid') };
      }
      if (propertyName !== undefined) return { path: [...path, propertyName], key: true, message: `"${propertyName}": ${custom ?? err.message ?? 'invalid'}` };
      return { path, key: false, message: custom ?? err.message ?? 'invalid' };
  }
}
