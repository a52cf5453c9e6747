import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A small filesystem of its own: what a store that fills its disk runs on. */
export interface Tmpfs {
  dir: string;
  /** Writes a ballast file until the filesystem is full; returns its size in bytes. */
  fill(): number;
  /** Removes the ballast: the space returns. */
  free(): void;
  /** Unmounts (lazily if something still holds a file) and removes the mount point. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `bytes` at `dir` (created), owned by `owner` when given. Needs root or
 * CAP_SYS_ADMIN: without, it says so rather than testing something else.
 */
export function mountTmpfs(dir: string, bytes: number, owner?: { uid: number; gid: number }): Tmpfs {
  mkdirSync(dir, { recursive: true });
  const options = [`size=${bytes}`, 'mode=0700', ...(owner ? [`uid=${owner.uid}`, `gid=${owner.gid}`] : [])].join(',');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the store-full cases run the store on a small tmpfs, and mounting one failed (it needs root or CAP_SYS_ADMIN): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
  }
  const ballast = join(dir, 'ballast');
  return {
    dir,
    fill() {
      const fd = openSync(ballast, 'a');
      let written = 0;
      try {
        for (const size of [1 << 20, 1 << 12]) {
          const chunk = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              written += writeSync(fd, chunk);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free: () => rmSync(ballast, { force: true }),
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
