import { readFileSync } from 'node:fs';
import { KNOWN_TYPES, type KnownType } from '../domain/event.js';

/**
 * The event schemas live in `schemas/` at the package root, not in the bundle, so that editors and
 * other tools read the same files the relay checks with. `../../schemas/` resolves from both
 * `src/ingest/` (tests, tsx) and `dist/ingest/` (the build mirrors src).
 */
export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

export type EventSchemaName = 'envelope' | KnownType;
export const EVENT_SCHEMA_NAMES: readonly EventSchemaName[] = ['envelope', ...KNOWN_TYPES];

export interface EventSchema {
  $id: string;
  title: string;
  description: string;
  examples: Record<string, unknown>[];
  [keyword: string]: unknown;
}

const cache = new Map<EventSchemaName, EventSchema>();

/** Reads `schemas/<name>.schema.json` once per process; later calls return the same object. */
export function loadSchema(name: EventSchemaName): EventSchema {
  let schema = cache.get(name);
  if (!schema) {
    const file = new URL(`${name}.schema.json`, SCHEMAS_DIR);
    schema = JSON.parse(readFileSync(file, 'utf8')) as EventSchema;
    if (!Array.isArray(schema.examples) || schema.examples.length === 0) {
      // The CLI's `send --example` and the rules checks depend on it: fail loudly at start.
      throw new Error(`${file.pathname}: "examples" must hold at least one event body`);
    }
    cache.set(name, schema);
  }
  return schema;
}
