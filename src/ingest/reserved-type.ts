import { ReservedTypeError } from '../errors.js';

/**
 * Refuses a body that claims to be one of the relay's own events. Any case and leading space
 * count: `Relay.recording.mirrored` would not match the relay's rules, but it would read as the
 * relay's news to a person.
 */
export function refuseReservedType(body: Record<string, unknown>): void {
  if (typeof body.type === 'string' && /^\s*relay\./i.test(body.type)) throw new ReservedTypeError(body.type);
}
