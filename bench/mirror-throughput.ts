/**
 * Mirroring a large file from a loopback server into a directory, beside `curl -o` of the same
 * file in the same run: throughput ratio, and the relay's memory while it mirrors.
 *
 *   npm run build && node --import tsx bench/mirror-throughput.ts
 *   BENCH_SIZE=2g BENCH_RUNS=1 node --import tsx bench/mirror-throughput.ts    (the 2 GB RSS check)
 *
 * The server (a process of its own) needs Basic auth, as the portal does, and streams generated
 * bytes (a 4 MiB random block, repeated) with a Content-Length. The relay is the built one (dist/main.js)
 * in a child process with its usual settings; its figure is the mirror delivery's attempt
 * duration as the relay recorded it, which includes hashing (SHA-256), writing, fsync and rename.
 * curl's is its own time_total. RSS is sampled from /proc every 250 ms (BENCH_POLL_MS) during the transfer.
 * BENCH_DIR (default /dev/shm: the comparison is of the pipelines, not of the disk; on a disk
 * the relay's fsync of 1 GB is what a durable copy costs, and curl -o does none) is where both write.
 * Bounded: each transfer is given 5 minutes at most; everything is on 127.0.0.1.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SIZE = parseSize(process.env['BENCH_SIZE'] ?? '1g');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const DIR = process.env['BENCH_DIR'] ?? (existsSync('/dev/shm') ? '/dev/shm' : '/tmp');
const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const TOKEN = 'bench-admin-token';
const BLOCK = randomBytes(4 * 1024 * 1024);
const run = promisify(execFile);

function parseSize(s: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(s.trim());
  if (!m) throw new Error(`BENCH_SIZE: ${s}`);
  return Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
}

/**
 * The loopback "portal", in a process of its own so that this one's polling never slows it: Basic
 * auth, then SIZE bytes (a 4 MiB block of random bytes, repeated, read from BLOCK_FILE).
 */
const PORTAL = `
const { createServer } = require('node:http');
const block = require('node:fs').readFileSync(process.env.BLOCK_FILE);
const SIZE = Number(process.env.SIZE);
const auth = 'Basic ' + Buffer.from('rec:bench-pass').toString('base64');
const server = createServer(async (req, res) => {
  if (req.headers.authorization !== auth) return void res.writeHead(403).end();
  res.writeHead(200, { 'content-length': SIZE, 'content-type': 'video/x-matroska' });
  for (let sent = 0; sent < SIZE && !res.destroyed; ) {
    const n = Math.min(block.length, SIZE - sent);
    sent += n;
    if (!res.write(n === block.length ? block : block.subarray(0, n))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function portal(work: string): Promise<{ url: string; close(): void }> {
  const blockFile = join(work, 'block.bin');
  writeFileSync(blockFile, BLOCK);
  const proc = spawn(process.execPath, ['-e', PORTAL], { env: { BLOCK_FILE: blockFile, SIZE: String(SIZE) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => proc.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())));
  return { url: `http://127.0.0.1:${port}/rec/bench.mkv`, close: () => proc.kill() };
}

function expectedSha(): string {
  const h = createHash('sha256');
  for (let sent = 0; sent < SIZE; sent += BLOCK.length) h.update(BLOCK.subarray(0, Math.min(BLOCK.length, SIZE - sent)));
  return h.digest('hex');
}

async function fileSha(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

/** curl's time, and its CPU time (user + system, from /usr/bin/time) when that tool is there. */
async function curl(url: string, out: string): Promise<{ ms: number; cpuMs: number | null }> {
  const args = ['-sS', '-f', '-u', 'rec:bench-pass', '-o', out, '-w', '%{time_total}', url];
  const timed = existsSync('/usr/bin/time');
  const { stdout, stderr } = timed ? await run('/usr/bin/time', ['-f', 'cpu %U %S', 'curl', ...args], { timeout: 300_000 }) : await run('curl', args, { timeout: 300_000 });
  if (statSync(out).size !== SIZE) throw new Error('curl: short file');
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  return { ms: Number(stdout) * 1000, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null };
}

/** A process's CPU time so far (user + system), in ms: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function startRelay(work: string, copies: string): Promise<{ proc: ChildProcess; url: string }> {
  const rules = join(work, 'rules.yaml');
  writeFileSync(rules, `version: 1\ndestinations:\n  vault:\n    mirror:\n      to: file://${copies}\n      source_auth: { username: rec, password: bench-pass }\nroutes:\n  - name: keep\n    when: { type: recording }\n    to: vault\n`);
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'] ?? '', RELAY_HOST: '127.0.0.1', RELAY_PORT: '0', RELAY_DB: `sqlite:${join(work, 'relay.db')}`, RELAY_RULES: rules, RELAY_ADMIN_TOKEN: TOKEN, RELAY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('relay did not start')), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      const m = /"url":"(http:\/\/[^"]+)".*enx-relay listening/.exec(c.toString());
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
  });
  proc.stdout!.resume();
  return { proc, url };
}

async function mirrorOnce(relay: { proc: ChildProcess; url: string }, fileUrl: string, conf: number): Promise<{ ms: number; cpuMs: number; peakRssMb: number }> {
  const cpuBefore = cpuMs(relay.proc.pid!);
  const body = { type: 'recording', trans_date: Math.floor(Date.now() / 1000), app_id: 'bench', room_id: 'room', conf_num: String(conf), recording: [fileUrl] };
  const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify(body) });
  const { id } = (await res.json()) as { id: string };
  let peak = 0;
  const deadline = Date.now() + 300_000;
  for (;;) {
    peak = Math.max(peak, rssKb(relay.proc.pid!, 'VmRSS'));
    const r = await fetch(`${relay.url}/admin/events/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { deliveries } = (await r.json()) as { deliveries: { status: string; lastError: string | null; attemptLog: { durationMs: number }[] }[] };
    const d = deliveries[0]!;
    // The CPU time includes the polling's admin requests: a little more than the mirror's own.
    if (d.status === 'delivered') return { ms: d.attemptLog.at(-1)!.durationMs, cpuMs: cpuMs(relay.proc.pid!) - cpuBefore, peakRssMb: peak / 1024 };
    if (d.status === 'dead' || d.lastError) throw new Error(`mirror failed: ${d.lastError}`);
    if (Date.now() > deadline) throw new Error('mirror took more than 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, Number(process.env['BENCH_POLL_MS'] ?? 250)));
  }
}

const mbps = (ms: number): number => SIZE / 1024 / 1024 / (ms / 1000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const work = mkdtempSync(join('/tmp', 'enx-bench-mirror-'));
const out = mkdtempSync(join(DIR, 'enx-bench-mirror-'));
const server = await portal(work);
const relay = await startRelay(work, join(out, 'relay'));
const want = expectedSha();
const idleMb = rssKb(relay.proc.pid!, 'VmRSS') / 1024;
console.log(`${(SIZE / 1024 ** 3).toFixed(2)} GiB into ${DIR}, ${RUNS} run(s) each; relay pid ${relay.proc.pid}, idle RSS ${idleMb.toFixed(0)} MB`);
const rows: { curl: number; relay: number; rss: number; curlCpu: number | null; relayCpu: number }[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const c = await curl(server.url, join(out, 'curl.bin'));
    const curlMs = c.ms;
    rmSync(join(out, 'curl.bin'));
    const m = await mirrorOnce(relay, server.url, i);
    const copy = join(out, 'relay', 'bench', 'room', String(i), 'bench.mkv');
    if (statSync(copy).size !== SIZE || (await fileSha(copy)) !== want) throw new Error('the copy is not the file');
    rmSync(copy);
    const gib = SIZE / 1024 ** 3;
    rows.push({ curl: mbps(curlMs), relay: mbps(m.ms), rss: m.peakRssMb, curlCpu: c.cpuMs === null ? null : c.cpuMs / gib, relayCpu: m.cpuMs / gib });
    const cpu = `CPU per GiB: curl ${c.cpuMs === null ? '?' : (c.cpuMs / gib).toFixed(0)} ms, relay ${(m.cpuMs / gib).toFixed(0)} ms`;
    console.log(`run ${i + 1}: curl -o ${mbps(curlMs).toFixed(0)} MB/s (${curlMs.toFixed(0)} ms) | relay ${mbps(m.ms).toFixed(0)} MB/s (${m.ms} ms) = ${((100 * mbps(m.ms)) / mbps(curlMs)).toFixed(0)}% | ${cpu} | relay peak RSS ${m.peakRssMb.toFixed(0)} MB`);
  }
  const c = median(rows.map((r) => r.curl));
  const r = median(rows.map((x) => x.relay));
  const ratios = rows.map((x) => x.relay / x.curl);
  console.log(`\nmedian: curl ${c.toFixed(0)} MB/s, relay ${r.toFixed(0)} MB/s: ${((100 * r) / c).toFixed(0)}% of curl (median of the runs' own ratios ${(100 * median(ratios)).toFixed(0)}%); CPU per GiB: curl ${rows[0]!.curlCpu === null ? '?' : median(rows.map((x) => x.curlCpu!)).toFixed(0)} ms, relay ${median(rows.map((x) => x.relayCpu)).toFixed(0)} ms; relay peak RSS ${Math.max(...rows.map((x) => x.rss)).toFixed(0)} MB (VmHWM ${(rssKb(relay.proc.pid!, 'VmHWM') / 1024).toFixed(0)} MB)`);
} finally {
  relay.proc.kill('SIGTERM');
  server.close();
  rmSync(out, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
