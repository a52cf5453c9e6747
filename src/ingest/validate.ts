import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { KNOWN_TYPES, type KnownType } from '../domain/event.js';
import { SchemaInvalidError } from '../errors.js';
import { loadSchema } from './load-schema.js';
import { readableErrors } from './readable-errors.js';

const addFormats = formats.default;

/** Errors listed in a 422 answer and a rejected entry; the rest are counted ("and 129980 more"). */
export const MAX_LISTED_ERRORS = 20;

interface Validators {
  envelope: ValidateFunction;
  byType: Map<string, ValidateFunction>;
}

let validators: Validators | undefined;

/** Compiled once, on first use: compiling costs milliseconds, validating microseconds. */
function compiled(): Validators {
  if (validators) return validators;
  // allErrors: the sender (or the admin reading the rejected log) sees every problem at once.
  // verbose: readableErrors needs each error's schema node and data.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addVocabulary(['x-error']);
  addFormats(ajv);
  ajv.addSchema(loadSchema('envelope'));
  const byType = new Map<string, ValidateFunction>();
  for (const type of KNOWN_TYPES) byType.set(type, ajv.compile(loadSchema(type)));
  const envelope = ajv.getSchema(loadSchema('envelope').$id);
  if (!envelope) throw new Error('envelope schema did not compile');
  validators = { envelope, byType };
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
