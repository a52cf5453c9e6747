import bodyParser from 'koa-bodyparser';
import type { Context, Middleware } from 'koa';
import { BadRequestError, InvalidJsonError, PayloadTooLargeError } from '../../errors.js';

/**
 * The JSON object body of an admin request (koa-bodyparser), as `ctx.request.body`. Read as JSON
 * whatever its Content-Type (`curl -d` says form-urlencoded), so a body is never silently taken
 * for empty; an empty body is `{}`. Not for the webhook intake, which keeps its byte-exact reader.
 */
export function jsonBody(limitBytes: number): Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    detectJSON: () => true,
    jsonLimit: String(limitBytes),
    strict: true,
    onerror: (err: Error & { status?: number; type?: string }) => {
      if (err.type === 'entity.too.large' || err.status === 413) throw new PayloadTooLargeError(limitBytes);
      if (err.type === 'encoding.unsupported' || err.status === 415) throw new BadRequestError(`the body could not be decoded: ${err.message}`);
      throw new InvalidJsonError(err.message);
    },
  });
  return async (ctx: Context, next) => {
    await parse(ctx, async () => undefined);
    const body: unknown = ctx.request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('the body must be a JSON object');
    await next();
  };
}
