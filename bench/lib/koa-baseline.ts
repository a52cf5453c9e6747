/**
 * The intake baseline: the least a Koa JSON endpoint does (koa + koa-bodyparser, parse the JSON,
 * answer 200 with a small JSON body), nothing stored. Run as its own process by the harness:
 *   node --import tsx bench/lib/koa-baseline.ts <port>
 */
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';

const port = Number(process.argv[2] ?? 0);
const app = new Koa();
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb' }));
app.use((ctx) => {
  if (ctx.path === '/readyz') {
    ctx.body = { status: 'ready' };
    return;
  }
  const body = ctx.request.body as { conf_num?: unknown } | undefined;
  ctx.status = 200;
  ctx.body = { ok: true, conf_num: body?.conf_num ?? null };
});
app.listen(port, '127.0.0.1');
