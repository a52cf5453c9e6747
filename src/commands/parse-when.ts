import { parseDuration } from '../config/env.js';
import { BadRequestError } from '../errors.js';

/** `--since 2h` (that long ago) or an ISO-8601 time. */
export function parseWhen(flag: string, v: string, now = new Date()): Date {
  const ms = parseDuration(v);
  if (ms !== null && /[a-z]$/.test(v.trim())) return new Date(now.getTime() - ms);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new BadRequestError(`${flag}: "${v}" is neither a duration such as 2h or 14d nor an ISO-8601 time`);
  return new Date(t);
}
