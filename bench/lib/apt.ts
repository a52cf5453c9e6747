import { execFileSync } from 'node:child_process';
import { progress } from './stats.js';

const has = (bin: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** wrk and Alertmanager from Debian, installed when missing (the harness runs as root). */
export function ensureTools(): void {
  const missing = ['wrk', 'prometheus-alertmanager'].filter((b) => !has(b));
  if (missing.length === 0) return;
  progress(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env, timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', 'wrk', 'prometheus-alertmanager'], { stdio: 'inherit', env, timeout: 600_000 });
  const still = missing.filter((b) => !has(b));
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
}
