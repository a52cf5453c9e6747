import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild, type Child } from './children.js';

const run = promisify(execFile);

export const PORTAL_USER = 'rec';
export const PORTAL_PASSWORD = 'bench-pass';

/**
 * The loopback "portal" (a process of its own, so that the harness's polling never slows it):
 * Basic auth as the portal wants it, then `GET /f/<bytes>.mkv` answers that many bytes, a 4 MiB
 * block of random bytes repeated, with a Content-Length.
 */
const PORTAL_SOURCE = `
const { createServer } = require('node:http');
const block = require('node:fs').readFileSync(process.env.BLOCK_FILE);
const auth = 'Basic ' + Buffer.from(process.env.PORTAL_AUTH).toString('base64');
const server = createServer(async (req, res) => {
  if (req.headers.authorization !== auth) return void res.writeHead(403).end();
  const m = /^\\/f\\/(\\d+)\\.mkv$/.exec(req.url);
  if (!m) return void res.writeHead(404).end();
  const size = Number(m[1]);
  res.writeHead(200, { 'content-length': size, 'content-type': 'video/x-matroska' });
  for (let sent = 0; sent < size && !res.destroyed; ) {
    const n = Math.min(block.length, size - sent);
    sent += n;
    if (!res.write(n === block.length ? block : block.subarray(0, n))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

export interface MirrorPortal {
  child: Child;
  /** The URL of a file of `bytes` bytes. */
  url(bytes: number): string;
  /** The SHA-256 a file of `bytes` bytes has. */
  sha256(bytes: number): string;
  stop(): Promise<void>;
}

export async function startMirrorPortal(workDir: string): Promise<MirrorPortal> {
  const block = randomBytes(4 * 1024 * 1024);
  const blockFile = join(workDir, 'block.bin');
  writeFileSync(blockFile, block);
  let port = '';
  const child = startChild(process.execPath, ['-e', PORTAL_SOURCE], {
    env: { BLOCK_FILE: blockFile, PORTAL_AUTH: `${PORTAL_USER}:${PORTAL_PASSWORD}` },
    onLine: (l) => (port = /^port (\d+)$/.exec(l)?.[1] ?? port),
  });
  for (let i = 0; i < 100 && !port; i++) await new Promise((r) => setTimeout(r, 50));
  if (!port) throw new Error(`the bench portal did not start: ${child.output.join('\n')}`);
  return {
    child,
    url: (bytes) => `http://127.0.0.1:${port}/f/${bytes}.mkv`,
    sha256(bytes) {
      const h = createHash('sha256');
      for (let sent = 0; sent < bytes; sent += block.length) h.update(block.subarray(0, Math.min(block.length, bytes - sent)));
      return h.digest('hex');
    },
    stop: () => child.stop(1000),
  };
}

/** `curl -o` of `url` into `out`: its own time_total, and its CPU time when /usr/bin/time is there. */
export async function curlDownload(url: string, out: string, bytes: number): Promise<{ ms: number; cpuMs: number | null }> {
  const args = ['-sS', '-f', '-u', `${PORTAL_USER}:${PORTAL_PASSWORD}`, '-o', out, '-w', '%{time_total}', url];
  const timed = existsSync('/usr/bin/time');
  const { stdout, stderr } = timed ? await run('/usr/bin/time', ['-f', 'cpu %U %S', 'curl', ...args], { timeout: 300_000 }) : await run('curl', args, { timeout: 300_000 });
  if (statSync(out).size !== bytes) throw new Error(`curl: ${out} is not ${bytes} bytes`);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  return { ms: Number(stdout) * 1000, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null };
}

export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}
