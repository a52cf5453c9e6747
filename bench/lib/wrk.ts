import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './children.js';
import { benchTempDir } from './temp.js';

export interface WrkResult {
  /** Responses received (any status). */
  requests: number;
  /** Responses with a status >= 400 (wrk's "Non-2xx or 3xx"). */
  non2xx: number;
  /** Socket errors: connect, read, write, timeout. */
  socketErrors: number;
  durationS: number;
  /** Good responses per second: (requests - non2xx) / duration. */
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * wrk against `url` for `durationS` with `connections` connections, each request a POST of
 * `template` with %d replaced by a number unique within the run (thread * 10^7 + counter).
 * The Lua `done` hook prints the figures as one JSON line, read back here.
 */
export async function runWrk(opts: { url: string; template: string; durationS: number; connections: number; threads?: number }): Promise<WrkResult> {
  const tmp = benchTempDir('enx-bench-wrk-');
  const script = join(tmp.dir, 'post.lua');
  writeFileSync(script, luaScript(opts.template));
  const threads = Math.min(opts.threads ?? 2, opts.connections);
  try {
    const child = startChild('wrk', ['-t', String(threads), '-c', String(opts.connections), '-d', `${opts.durationS}s`, '--timeout', '10s', '-s', script, opts.url]);
    const code = await Promise.race([child.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), (opts.durationS + 30) * 1000).unref())]);
    if (code === 'late') {
      await child.stop(1000);
      throw new Error(`wrk did not finish within ${opts.durationS + 30} s`);
    }
    const line = child.output.find((l) => l.startsWith('BENCH_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${child.output.join('\n')}`);
    const j = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, number>;
    const durationS = j['duration_us']! / 1e6;
    return {
      requests: j['requests']!,
      non2xx: j['status']!,
      socketErrors: j['connect']! + j['read']! + j['write']! + j['timeout']!,
      durationS,
      okPerSecond: (j['requests']! - j['status']!) / durationS,
      p50Ms: j['p50_us']! / 1000,
      p99Ms: j['p99_us']! / 1000,
      maxMs: j['max_us']! / 1000,
    };
  } finally {
    tmp.remove();
  }
}

function luaScript(template: string): string {
  const fmt = template.replaceAll('%d', '%d');
  return `
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local counter = 0
local template = ${JSON.stringify(fmt)}
local headers = { ["Content-Type"] = "application/json" }
request = function()
  counter = counter + 1
  local n = 1 + tid * 10000000 + counter
  return wrk.format("POST", nil, headers, string.format(template, n, n))
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;
}
