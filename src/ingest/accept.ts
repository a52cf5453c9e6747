import type { RelayEvent } from '../domain/event.js';
import { normalizeEvent } from './normalize.js';
import { parseBody } from './parse.js';
import { refuseReservedType } from './reserved-type.js';
import { validateEvent } from './validate.js';

/**
 * The body of a webhook (already read, size-checked and decoded) -> one normalized event.
 * Throws InvalidJsonError (400), ReservedTypeError (422: a `relay.*` type) or SchemaInvalidError
 * (422); the caller keeps such bodies in the rejected log. Pure and synchronous: the HTTP handler, the CLI and the tests share it.
 */
export function acceptPayload(raw: Buffer, contentType: string | null, receivedAt: Date): RelayEvent {
  const body = parseBody(raw);
  refuseReservedType(body);
  validateEvent(body);
  return normalizeEvent(body, raw, contentType, receivedAt);
}
