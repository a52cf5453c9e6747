import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  date: string;
  uname: string;
  cpu: string;
  cores: number;
  memGb: number;
  node: string;
  loadAtStart: string;
  wrk: string;
  alertmanager: string;
  postgres: string;
}

const tryRun = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 }).trim();
  } catch (err) {
    // wrk -v prints its version and exits 1
    const out = (err as { stdout?: string; stderr?: string }).stdout || (err as { stderr?: string }).stderr || '';
    return out.trim() || 'n/a';
  }
};

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    uname: tryRun('uname', ['-a']),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAtStart: loadavg().map((l) => l.toFixed(2)).join(', '),
    wrk: tryRun('wrk', ['-v']).split('\n')[0] ?? 'n/a',
    alertmanager: tryRun('prometheus-alertmanager', ['--version']).split('\n')[0] ?? 'n/a',
    postgres: tryRun('psql', ['--version']),
  };
}
