import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Every process the harness starts, so that each is stopped by its PID whatever happens: at the
 * end of its phase, on an error, on Ctrl-C, and (SIGKILL, synchronously) when the harness exits.
 */
const live = new Map<number, ChildProcess>();

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Lines of stdout and stderr (the last 200), for error messages. */
  output: string[];
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(cmd: string, args: string[], opts: SpawnOptions & { onLine?: (line: string) => void } = {}): Child {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (proc.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = proc.pid;
  live.set(pid, proc);
  const output: string[] = [];
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      opts.onLine?.(line);
    }
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(pid);
      resolve(code);
    });
    proc.once('error', () => {
      live.delete(pid);
      resolve(null);
    });
  });
  const gone = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  return {
    proc,
    pid,
    output,
    exited,
    async stop(graceMs = 3000) {
      if (gone()) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!gone()) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kill whatever is still running (by PID, SIGKILL). Safe to call from an 'exit' handler. */
export function killAll(): void {
  for (const [pid, proc] of live) {
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

/** Clean-ups still due (temp dirs, PostgreSQL schemas), run if the harness is interrupted. */
const cleanups = new Set<() => unknown>();

/** Registers `fn` to run on an interruption; returns the function that unregisters it. */
export function onAbort(fn: () => unknown): () => void {
  cleanups.add(fn);
  return () => void cleanups.delete(fn);
}

let installed = false;
/** Installs the exit and signal handlers once. */
export function killChildrenOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      console.error(`\nbench: ${sig}, stopping ${live.size} child process(es), ${cleanups.size} clean-up(s)`);
      killAll();
      const pending = [...cleanups].map((fn) => Promise.resolve().then(fn).catch(() => undefined));
      setTimeout(() => process.exit(130), 5000).unref();
      void Promise.all(pending).then(() => process.exit(130));
    });
  }
}
