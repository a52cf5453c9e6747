import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '../../src/config/env.js';
import { startRelay, type Relay } from '../../src/relay.js';
import { LineCapture } from './line-capture.js';
import { tempDir } from './temp-dir.js';

export interface TestRelay {
  relay: Relay;
  url: string;
  dir: string;
  /** What `log` destinations printed. */
  out: LineCapture;
  /** What the relay logged (pino JSON lines). */
  logs: LineCapture;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The real relay on 127.0.0.1 with a temporary SQLite file and the given rules. */
export async function startTestRelay(opts: { rules: string; env?: Record<string, string> }): Promise<TestRelay> {
  const { dir, cleanup } = tempDir();
  const rulesPath = join(dir, 'rules.yaml');
  writeFileSync(rulesPath, opts.rules);
  const env = {
    RELAY_PORT: '0',
    RELAY_HOST: '127.0.0.1',
    RELAY_DB: `sqlite:${join(dir, 'relay.db')}`,
    RELAY_RULES: rulesPath,
    RELAY_SHUTDOWN_GRACE: '2s',
    ...opts.env,
  };
  const settings = loadSettings(env);
  const out = new LineCapture();
  const logs = new LineCapture();
  const relay = await startRelay(settings, { env, out, logStream: logs });
  return {
    relay,
    url: relay.url,
    dir,
    out,
    logs,
    async post(body, headers = {}) {
      const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await relay.stop();
      cleanup();
    },
  };
}
