import type { Context } from 'koa';
import { BadRequestError, RelayError } from '../../errors.js';

/** One query parameter as text; a repeated one (`?status=a&status=b`) is refused, not guessed at. */
export function queryParam(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  if (Array.isArray(v)) throw fieldError(name, `give ${name} once`);
  return v === undefined || v === '' ? undefined : v;
}

/** `?limit=`: a whole number from 1; above `max` it is cut to `max` (a page, not an error). */
export function parseLimit(v: string | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw fieldError('limit', `limit must be a whole number from 1 to ${max}, not "${v}"`);
  return Math.min(Number(v), max);
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
