import type { ValidateFunction } from 'ajv';
import { KNOWN_TYPES, type KnownType } from '../domain/event.js';
import { SchemaInvalidError } from '../errors.js';
import { eventValidatorSetups } from '../validators/ajv-setups.js';
import { validatorFor } from '../validators/precompiled.js';
import { readableErrors } from './readable-errors.js';

/** Errors listed in a 422 answer and a rejected entry; the rest are counted ("and 129980 more"). */
export const MAX_LISTED_ERRORS = 20;

interface Validators {
  envelope: ValidateFunction;
  byType: Map<string, ValidateFunction>;
}

let validators: Validators | undefined;

/** Once, on first use: the build's precompiled validators, or compiled now (from src/). */
function compiled(): Validators {
  if (validators) return validators;
  const byType = new Map<string, ValidateFunction>();
  let envelope: ValidateFunction | undefined;
  for (const setup of eventValidatorSetups()) {
    const fn = validatorFor(setup);
    if (setup.name === 'envelope') envelope = fn;
    else byType.set(setup.name, fn);
  }
  validators = { envelope: envelope!, byType };
  return validators;
}

export function isKnownType(type: unknown): type is KnownType {
  return typeof type === 'string' && (KNOWN_TYPES as readonly string[]).includes(type);
}

/**
 * Checks a parsed body against its type's schema, or against the common envelope when the type
 * is one EnableX added after this relay was written (such events are kept and routed, not
 * dropped). Throws SchemaInvalidError listing the problems with their JSON paths (the first
 * MAX_LISTED_ERRORS of them, and how many more).
 */
export function validateEvent(body: Record<string, unknown>): void {
  const { envelope, byType } = compiled();
  const validate = (isKnownType(body.type) && byType.get(body.type)) || envelope;
  const valid: boolean = validate(body);
  if (valid) return;
  const type = typeof body.type === 'string' && body.type !== '' ? body.type : undefined;
  const { details, omitted } = readableErrors(validate.errors ?? [], MAX_LISTED_ERRORS);
  throw new SchemaInvalidError(details, type, omitted);
}
