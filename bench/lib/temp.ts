import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onAbort } from './children.js';

/** A temp dir removed by `remove()`, or when the harness is interrupted. */
export function benchTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const rm = (): void => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(rm);
  return {
    dir,
    remove() {
      unregister();
      rm();
    },
  };
}
