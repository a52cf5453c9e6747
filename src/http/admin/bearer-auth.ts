import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { UnauthorizedError } from '../../errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so the comparison takes the
 * same time whatever the given token's length or first wrong byte.
 */
export function bearerAuth(token: string): (ctx: Context) => void {
  const expected = digest(token);
  return (ctx) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    const ok = timingSafeEqual(digest(m ? m[1]! : ''), expected);
    if (!m || !ok) {
      ctx.set('WWW-Authenticate', 'Bearer realm="enx-relay-admin"');
      throw new UnauthorizedError('a valid admin bearer token is required (RELAY_ADMIN_TOKEN)');
    }
  };
}
