import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port on
 * 127.0.0.1), for faults that must not reach the shared server: a tablespace whose disk fills
 * up is harmless to a server whose every other file is elsewhere, but removing that disk under a
 * server makes its next checkpoint PANIC, and that server is everyone's.
 */
export interface PrivatePostgres {
  url: string;
  /** The OS user the server runs as (files it must own, such as a tablespace's folder). */
  owner: { uid: number; gid: number };
  sql(text: string): Promise<pg.QueryResult>;
  /** Fast shutdown, bounded; SIGKILL if it takes longer than 20 s. */
  stop(): Promise<void>;
}

function binDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
    if (versions.length === 0) throw new Error('no PostgreSQL server binaries found (pg_config, /usr/lib/postgresql/*/bin)');
    return `/usr/lib/postgresql/${versions[0]}/bin`;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * initdb and start, as the `postgres` OS user (initdb refuses root). `dir` (created, and given to
 * that user) holds everything; its parent must let that user through (the system's temp folder does).
 */
export async function startPrivatePostgres(dir: string): Promise<PrivatePostgres> {
  const bin = binDir();
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  for (const d of [dir, sock]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { uid, gid, stdio: 'pipe', cwd: dir });
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${sock}`, 'fsync=off', 'shared_buffers=16MB', 'max_connections=40', 'logging_collector=off'];
  const proc: ChildProcess = spawn(join(bin, 'postgres'), ['-D', data, ...settings.flatMap((s) => ['-c', s])], { uid, gid, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  proc.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const sql = async (text: string): Promise<pg.QueryResult> => {
    const c = new pg.Client({ connectionString: url, application_name: 'enx-faults' });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await sql('SELECT 1');
      break;
    } catch (err) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`the private PostgreSQL did not start: ${String(err)}\n${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    owner: { uid, gid },
    sql,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
