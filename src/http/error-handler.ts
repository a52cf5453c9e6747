import type { Middleware } from 'koa';
import { MethodNotAllowedError, RelayError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Every error becomes `{ error: { code, message, details } }`. Typed errors carry their status;
 * anything else is a bug: logged with its stack, answered 500 without internals.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}`, details: [] } };
      }
      // The router's 405 (with its Allow header) gets the same JSON body as every other error.
      if (ctx.status === 405 && ctx.body === undefined) {
        ctx.status = 405;
        ctx.body = new MethodNotAllowedError(ctx.method, ctx.path, ctx.response.get('Allow')).toJSON();
      }
    } catch (err) {
      if (err instanceof RelayError) {
        ctx.status = err.httpStatus;
        ctx.body = err.toJSON();
        if (err.httpStatus === 503) ctx.set('Retry-After', '5');
        // A refused upload: close rather than read and discard the rest of it.
        if (err.httpStatus === 413 || err.httpStatus === 415) ctx.set('Connection', 'close');
        const level = err.httpStatus >= 500 ? 'error' : 'info';
        logger[level]({ code: err.code, status: err.httpStatus, path: ctx.path, details: err.details.length }, err.message);
        return;
      }
      logger.error({ err, path: ctx.path }, 'unexpected error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'internal error', details: [] } };
    }
  };
}
