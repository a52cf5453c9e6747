import type { Context } from 'koa';
import { didYouMean } from '../../config/rules-suggest.js';
import { BadRequestError, RelayError, type ErrorDetail } from '../../errors.js';

/**
 * The query of an admin GET, checked against the parameters the route knows: an unknown one is
 * refused rather than ignored (`?sattus=dead` would otherwise list every event), and so is a
 * repeated one (`?status=a&status=b`). Empty values count as absent.
 */
export function readQuery<K extends string>(ctx: Context, known: readonly K[]): Partial<Record<K, string>> {
  const names = new Set<string>(known);
  const details: ErrorDetail[] = [];
  const out: Partial<Record<K, string>> = {};
  for (const [name, v] of Object.entries(ctx.query)) {
    if (!names.has(name)) {
      const list = known.length ? `known: ${known.join(', ')}` : 'this path takes none';
      details.push({ path: name, message: `unknown parameter${didYouMean(name, names)}; ${list}` });
    } else if (Array.isArray(v)) details.push({ path: name, message: `give ${name} once` });
    else if (v !== undefined && v !== '') out[name as K] = v;
  }
  if (details.length === 1) throw new BadRequestError(`${details[0]!.path}: ${details[0]!.message}`, details);
  if (details.length > 1) throw new BadRequestError('the query is not valid', details);
  return out;
}

/** `?limit=`: a whole number from 1 to `max`; anything else is refused, saying so. */
export function parseLimit(v: string | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw fieldError('limit', `limit must be a whole number from 1 to ${max}, not "${v}"`);
  return Number(v);
}

/** A bad request whose detail names the field, so a client can point at it. */
export function fieldError(field: string, message: string): BadRequestError {
  return new BadRequestError(message, [{ path: field, message }]);
}

/** Runs a parser shared with the CLI and names the field in the error's details. */
export function asField<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RelayError && err.httpStatus === 400 && err.details.length === 0) throw fieldError(field, err.message);
    throw err;
  }
}
