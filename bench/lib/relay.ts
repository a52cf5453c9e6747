import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './children.js';
import { freePort, waitFor200 } from './ports.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface BenchRelayOptions {
  /** RELAY_DB: sqlite:<path> or postgres://...?schema=... */
  db: string;
  rulesPath: string;
  worker: boolean;
  logLevel: string;
  /** Other RELAY_* settings. */
  env?: Record<string, string>;
}

export interface BenchRelay {
  child: Child;
  url: string;
  /** From spawn to the first 200 of /readyz, in ms. */
  readyMs: number;
  /** Counters of /metrics, summed over labels matching `filter` (e.g. result="accepted"). */
  metric(name: string, filter?: string): Promise<number>;
  /** One scrape of /metrics, for figures that must agree with each other (metricSum). */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

/** A counter in one scrape, summed over the label sets matching `filter`. */
export function metricSum(text: string, name: string, filter = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    if (filter && !line.includes(filter)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** The rules of every run: each event to one `http` destination, the receiver, as it came. */
export function writeRules(dir: string, receiverUrl: string, destinationConcurrency: number | null): string {
  const path = join(dir, 'rules.yaml');
  const cap = destinationConcurrency === null ? '' : `\n    concurrency: ${destinationConcurrency}`;
  writeFileSync(path, `version: 1\ndestinations:\n  receiver:\n    http: { url: "${receiverUrl}", timeout: 10s }${cap}\nroutes:\n  - name: all\n    to: receiver\n`);
  return path;
}

/** The built relay (dist/main.js) as a child on a free 127.0.0.1 port; resolves once /readyz is 200. */
export async function startBenchRelay(o: BenchRelayOptions): Promise<BenchRelay> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_NODE_OPTIONS: node flags for the relay only (heap experiments, --cpu-prof), given on
  // its command line (NODE_OPTIONS refuses some of them, --cpu-prof among them).
  const nodeFlags = (process.env['BENCH_NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean);
  const child = startChild(process.execPath, [...nodeFlags, MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      RELAY_HOST: '127.0.0.1',
      RELAY_PORT: String(port),
      RELAY_DB: o.db,
      RELAY_RULES: o.rulesPath,
      RELAY_WORKER: String(o.worker),
      RELAY_LOG_LEVEL: o.logLevel,
      RELAY_LOG_FORMAT: 'json',
      RELAY_SHUTDOWN_GRACE: '1s',
      ...o.env,
    },
  });
  const ready = await Promise.race([waitFor200(`${url}/readyz`, 30_000, 2), child.exited.then(() => false)]);
  const readyMs = performance.now() - started;
  if (!ready) {
    await child.stop(500);
    throw new Error(`the relay did not become ready (exit ${child.proc.exitCode}):\n${child.output.slice(-20).join('\n')}`);
  }
  return {
    child,
    url,
    readyMs,
    async metric(name, filter = '') {
      return metricSum(await (await fetch(`${url}/metrics`)).text(), name, filter);
    },
    async scrape() {
      return (await fetch(`${url}/metrics`)).text();
    },
    stop: () => child.stop(5000),
  };
}

/** The bench leaves the intake open on 127.0.0.1 on purpose (so does Alertmanager): not a problem. */
const EXPECTED = /RELAY_INGEST_USER \/ RELAY_INGEST_PASSWORD are unset/;

/** Lines the relay logged at warn or above (level >= 40), for the report: errors matter. */
export function relayProblems(relay: BenchRelay): string[] {
  return relay.child.output.filter((l) => {
    if (EXPECTED.test(l)) return false;
    try {
      return (JSON.parse(l) as { level?: number }).level! >= 40;
    } catch {
      return l.trim() !== '';
    }
  });
}
