import { KNOWN_TYPES, type KnownType, type RelayEvent } from '../domain/event.js';
import { acceptPayload } from './accept.js';
import { loadSchema } from './load-schema.js';

let bodies: Record<KnownType, Record<string, unknown>> | undefined;

/**
 * One realistic body per documented type, from the `examples` of its schema, so that the schema
 * files stay the one place where a sample event is written (`enx-relay send --example`, rules
 * checks, route tests). A fresh copy each call: the cached bodies stay as written.
 */
export function exampleBodies(): Record<KnownType, Record<string, unknown>> {
  bodies ??= Object.fromEntries(KNOWN_TYPES.map((type) => [type, loadSchema(type).examples[0]!])) as Record<
    KnownType,
    Record<string, unknown>
  >;
  return structuredClone(bodies);
}

/**
 * The examples as accepted events, through the same parse -> validate -> normalize as a webhook,
 * so an example that drifted from its schema fails here rather than in front of an admin. Bodies
 * are cached; events are not, since each carries its own id and receivedAt.
 */
export function exampleEvents(receivedAt: Date = new Date()): RelayEvent[] {
  return KNOWN_TYPES.map((type) => {
    const raw = Buffer.from(`${JSON.stringify(exampleBodies()[type], null, 2)}\n`);
    return acceptPayload(raw, 'application/json', receivedAt);
  });
}
