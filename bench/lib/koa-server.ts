import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './children.js';
import { freePort, waitFor200 } from './ports.js';

const SCRIPT = fileURLToPath(new URL('./koa-baseline.ts', import.meta.url));

/** The Koa baseline (koa-baseline.ts) as its own process, like the relay. */
export async function startKoaBaseline(): Promise<{ child: Child; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = startChild(process.execPath, ['--import', 'tsx', SCRIPT, String(port)], { env: { ...process.env, NODE_ENV: 'production' } });
  const url = `http://127.0.0.1:${port}`;
  const ready = await Promise.race([waitFor200(`${url}/readyz`, 30_000, 10), child.exited.then(() => false)]);
  if (!ready) {
    await child.stop(500);
    throw new Error(`the Koa baseline did not start:\n${child.output.join('\n')}`);
  }
  return { child, url, stop: () => child.stop(2000) };
}
