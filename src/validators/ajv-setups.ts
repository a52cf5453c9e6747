import { readFileSync } from 'node:fs';
import { Ajv, type Options } from 'ajv';
import formats from 'ajv-formats';
import { KNOWN_TYPES } from '../domain/event.js';
import { loadSchema } from '../ingest/load-schema.js';

const addFormats = formats.default;

// src/validators and dist/validators both sit two levels below the project root, beside schemas/.
export const RULES_SCHEMA_URL = new URL('../../schemas/rules.schema.json', import.meta.url);

/**
 * Each validator the relay uses, with the Ajv that compiles it: the same setup compiles them at
 * run time (tests, from src/) and at build time into standalone code (dist/, see
 * compile-validators.ts), so a started relay spends no time compiling schemas.
 */
export interface ValidatorSetup {
  /** Export name in the generated module. */
  name: string;
  ajv: Ajv;
  /** The $id (or the schema object) to compile. */
  schema: string | object;
  /** What the generated code was built from: a changed schema file means compile again. */
  sources: string[];
}

// allErrors: the sender (or the admin reading the rejected log) sees every problem at once.
// verbose: readable errors need each error's schema node and data.
const COMMON: Options = { allErrors: true, verbose: true, strict: true, code: { source: true } };

export function eventValidatorSetups(): ValidatorSetup[] {
  const ajv = new Ajv({ ...COMMON });
  ajv.addVocabulary(['x-error']);
  addFormats(ajv);
  const envelope = loadSchema('envelope');
  ajv.addSchema(envelope);
  const setups: ValidatorSetup[] = [{ name: 'envelope', ajv, schema: envelope.$id, sources: [JSON.stringify(envelope)] }];
  for (const type of KNOWN_TYPES) {
    const s = loadSchema(type);
    ajv.addSchema(s);
    setups.push({ name: type, ajv, schema: s.$id, sources: [JSON.stringify(envelope), JSON.stringify(s)] });
  }
  return setups;
}

export function rulesValidatorSetup(): ValidatorSetup {
  const ajv = new Ajv({ ...COMMON, strictRequired: false, allowUnionTypes: true });
  // `errorMessage` is read by editors (yaml-language-server) and by us, never validated.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const text = readFileSync(RULES_SCHEMA_URL, 'utf8');
  return { name: 'rules', ajv, schema: JSON.parse(text) as object, sources: [text] };
}
