import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthorizedError } from '../errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * HTTP Basic auth as EnableX's portal sends it. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; user and password are compared together.
 */
export function basicAuth(creds: { user: string; password: string } | null): Middleware {
  if (!creds) return (_ctx, next) => next();
  const expected = digest(`${creds.user}:${creds.password}`);
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    if (!m || !timingSafeEqual(digest(given), expected)) {
      ctx.set('WWW-Authenticate', 'Basic realm="enx-relay", charset="UTF-8"');
      throw new UnauthorizedError();
    }
    await next();
  };
}
