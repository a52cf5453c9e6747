/**
 * "A slow Slack never slows the intake": webhook intake throughput (autocannon, 127.0.0.1, bounded
 * in time) when every event goes to an instant destination (baseline) and when every event goes to
 * a receiver that takes 2 s to answer (a slow Slack, as seen from the worker). Same run, same
 * machine; the ratio is the result. Run: node --import tsx bench/intake-slow-destination.ts
 */
import autocannon, { type Request } from 'autocannon';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadSettings } from '../src/config/env.js';
import { startRelay } from '../src/relay.js';
import { tempDir } from '../test/support/temp-dir.js';

const DURATION_S = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONNECTIONS = 32;
const sink = new Writable({ write: (_c, _e, cb) => cb() });

async function slowReceiver(delayMs: number): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(200).end('ok'), delayMs));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.closeAllConnections() };
}

async function measure(label: string, destination: string): Promise<{ label: string; rps: number; p99: number; errors: number }> {
  const tmp = tempDir('enx-bench-');
  const rules = join(tmp.dir, 'rules.yaml');
  writeFileSync(rules, `version: 1\ndestinations:\n  d:\n${destination}\nroutes:\n  - name: all\n    to: d\n`);
  const env = { RELAY_PORT: '0', RELAY_HOST: '127.0.0.1', RELAY_DB: `sqlite:${join(tmp.dir, 'b.db')}`, RELAY_RULES: rules, RELAY_LOG_LEVEL: 'error', RELAY_SHUTDOWN_GRACE: '100ms' };
  const relay = await startRelay(loadSettings(env), { env, out: sink, logStream: sink });
  let n = 0;
  const result = await autocannon({
    url: `${relay.url}/webhooks/enablex`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        setupRequest: (req: Request): Request => ({
          ...req,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'recording', trans_date: 1732700871, app_id: 'bench', room_id: 'r', conf_num: String(n++), recording: ['https://portal.enablex.io/x.mkv'] }),
        }),
      },
    ],
  });
  const { pending, delivered } = await relay.store.stats();
  await relay.stop();
  tmp.cleanup();
  console.log(`${label}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, delivered ${Math.round(delivered / DURATION_S)}/s, still pending at the end ${pending}`);
  return { label, rps: result.requests.average, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

const slow = await slowReceiver(2000);
const base = await measure('instant destination (log)', '    log: {}');
const slowed = await measure('slow destination (HTTP, 2 s per answer)', `    http: { url: "${slow.url}/", timeout: 5s }`);
slow.close();
console.log(`\nratio slow / instant: ${(slowed.rps / base.rps).toFixed(2)}x throughput, p99 ${base.p99} -> ${slowed.p99} ms`);
process.exit(base.errors + slowed.errors > 0 ? 1 : 0);
