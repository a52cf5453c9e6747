import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, Options } from 'ajv';
import type formatsModule from 'ajv-formats';
import { KNOWN_TYPES } from '../domain/event.js';
import { loadSchema } from '../ingest/load-schema.js';

// Ajv itself is loaded only when a schema must be compiled (tests from src/, the build, a schema
// edited after the build): a built relay runs the standalone validators and never loads it.
const require = createRequire(import.meta.url);
const newAjv = (opts: Options): AjvType => new (require('ajv') as { Ajv: typeof AjvType }).Ajv(opts);
const addFormats = (ajv: AjvType): void => void (require('ajv-formats') as typeof formatsModule).default(ajv);

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
  /** The Ajv that compiles it, made on first call (shared by the setups of one family). */
  ajv: () => AjvType;
  /** The $id (or the schema object) to compile. */
  schema: string | object;
  /** What the generated code was built from: a changed schema file means compile again. */
  sources: string[];
}

// allErrors: the sender (or the admin reading the rejected log) sees every problem at once.
// verbose: readable errors need each error's schema node and data.
const COMMON: Options = { allErrors: true, verbose: true, strict: true, code: { source: true } };

export function eventValidatorSetups(): ValidatorSetup[] {
  const envelope = loadSchema('envelope');
  const schemas = KNOWN_TYPES.map((type) => ({ type, schema: loadSchema(type) }));
  const ajv = once(() => {
    const a = newAjv({ ...COMMON });
    a.addVocabulary(['x-error']);
    addFormats(a);
    a.addSchema(envelope);
    for (const s of schemas) a.addSchema(s.schema);
    return a;
  });
  return [
    { name: 'envelope', ajv, schema: envelope.$id, sources: [JSON.stringify(envelope)] },
    ...schemas.map((s) => ({ name: s.type, ajv, schema: s.schema.$id, sources: [JSON.stringify(envelope), JSON.stringify(s.schema)] })),
  ];
}

export function rulesValidatorSetup(): ValidatorSetup {
  const ajv = once(() => {
    const a = newAjv({ ...COMMON, strictRequired: false, allowUnionTypes: true });
    // `errorMessage` is read by editors (yaml-language-server) and by us, never validated.
    a.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
    return a;
  });
  const text = readFileSync(RULES_SCHEMA_URL, 'utf8');
  return { name: 'rules', ajv, schema: JSON.parse(text) as object, sources: [text] };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}
