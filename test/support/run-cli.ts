import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root: the CLI resolves relative paths (fixtures, config/rules.example.yaml) from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a built entry point (`dist/cli.js` by default, as `npx enx-relay` does) with exactly the
 * given environment (plus PATH), from the project root. Killed after `timeoutMs` so that a hung
 * command fails its test instead of the whole run.
 */
export async function runCli(args: string[], env: Record<string, string>, opts: { entry?: 'cli.js' | 'main.js'; timeoutMs?: number; input?: string | Buffer } = {}): Promise<CliResult> {
  const entry = `${DIST}${opts.entry ?? 'cli.js'}`;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test does it first)`);
  const proc = spawn(process.execPath, [entry, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (opts.input !== undefined) proc.stdin!.end(opts.input);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout!.on('data', (c: Buffer) => out.push(c));
  proc.stderr!.on('data', (c: Buffer) => err.push(c));
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const result = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  if (timedOut) throw new Error(`enx-relay ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/**
 * The built CLI on a pseudo-terminal (util-linux `script`), as an admin at a terminal runs it:
 * once the output shows `waitFor`, `answer` is typed. stdout and stderr arrive merged, as on a
 * terminal.
 */
export async function runCliOnTty(args: string[], env: Record<string, string>, opts: { waitFor?: string; answer?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const entry = `${DIST}cli.js`;
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const proc = spawn('script', ['-qefc', [process.execPath, entry, ...args].map(quote).join(' '), '/dev/null'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  let answered = opts.waitFor === undefined;
  proc.stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
    if (!answered && text.includes(opts.waitFor!)) {
      answered = true;
      proc.stdin.write(opts.answer ?? '');
    }
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  return { code, stdout: text.replace(/\r\n/g, '\n'), stderr: '' };
}
