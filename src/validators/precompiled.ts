import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { ValidatorSetup } from './ajv-setups.js';

/** Where the build writes the standalone validators (beside the compiled js, never in src/). */
export const GENERATED_URL = new URL('./generated.cjs', import.meta.url);

export const sourceHash = (s: ValidatorSetup): string => createHash('sha256').update(s.sources.join('\0')).digest('hex');

interface Generated {
  validators: Record<string, ValidateFunction>;
  hashes: Record<string, string>;
}

let generated: Generated | null | undefined;

/**
 * The validator for `setup`: the build's standalone code when it exists and was made from the
 * same schema text, else compiled now (tests run from src/; a schema edited after the build).
 */
export function validatorFor(setup: ValidatorSetup): ValidateFunction {
  if (generated === undefined) generated = existsSync(GENERATED_URL) ? (createRequire(import.meta.url)(GENERATED_URL.pathname) as Generated) : null;
  const fn = generated?.validators[setup.name];
  if (fn && generated?.hashes[setup.name] === sourceHash(setup)) return fn;
  return compileSetup(setup);
}

export function compileSetup(setup: ValidatorSetup): ValidateFunction {
  const ajv = setup.ajv();
  const fn = typeof setup.schema === 'string' ? ajv.getSchema(setup.schema) : ajv.compile(setup.schema);
  if (!fn) throw new Error(`schema ${String(setup.schema)} did not compile`);
  return fn;
}
