import type { Context } from 'koa';
import { openApiDocument } from './document.js';

/** GET /openapi.json: public, like /healthz; it describes the API and holds no secret. */
export function openApiRoute(): (ctx: Context) => void {
  const doc = openApiDocument();
  return (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = doc;
  };
}
