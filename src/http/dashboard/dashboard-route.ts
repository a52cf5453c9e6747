import type { Middleware } from 'koa';
import { loadDashboard, type DashboardFile } from './dashboard-files.js';

const PREFIX = '/dashboard';

/**
 * The page's own rules: nothing runs but the relay's own scripts (no inline script, no eval),
 * it talks only to the relay, and no other site may frame it.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET /dashboard/: the built page. Hashed assets are cached for good (immutable), everything else
 * is revalidated (no-cache, ETag), so a new build is seen at the next load. Compressed as the
 * browser accepts (br, gzip).
 */
export function dashboardRoute(files: Map<string, DashboardFile> | null = loadDashboard()): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      return;
    }
    if (ctx.path === PREFIX) return ctx.redirect(`${PREFIX}/`);
    ctx.set('Content-Security-Policy', DASHBOARD_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!files) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The dashboard is not built: run `npm run build` (it writes dist/dashboard).\n';
      return;
    }
    const key = ctx.path.slice(PREFIX.length + 1) || 'index.html';
    const file = files.get(key);
    if (!file) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Not found\n';
      return;
    }
    ctx.set('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('ETag', file.etag);
    ctx.set('Vary', 'Accept-Encoding');
    ctx.type = file.type;
    if (ctx.get('if-none-match') === file.etag) {
      ctx.status = 304;
      return;
    }
    const accepts = ctx.acceptsEncodings('br', 'gzip', 'identity');
    const [body, encoding] = accepts === 'br' ? [file.br, 'br'] : accepts === 'gzip' ? [file.gzip, 'gzip'] : [file.body, null];
    if (encoding) ctx.set('Content-Encoding', encoding);
    ctx.status = 200;
    ctx.body = body;
  };
}
