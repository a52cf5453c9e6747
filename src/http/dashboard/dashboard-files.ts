import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

export interface DashboardFile {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  type: string;
  etag: string;
  /** Vite names what it writes under assets/ by content hash: such a file never changes. */
  immutable: boolean;
}

// src/http/dashboard and dist/http/dashboard both sit three levels below the project root.
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Whether `npm run build` has written the page (what the startup line reports). */
export function dashboardBuilt(dir = DASHBOARD_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * The built dashboard (`npm run build` writes dist/dashboard), read once with its compressed
 * forms, keyed by path below /dashboard/. Only these keys are ever served: a request path is
 * looked up, never joined to the folder. Null when it has not been built.
 */
export function loadDashboard(dir = DASHBOARD_DIR): Map<string, DashboardFile> | null {
  if (!dashboardBuilt(dir)) return null;
  const files = new Map<string, DashboardFile>();
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const key = relative(dir, path).split('\\').join('/');
        const body = readFileSync(path);
        files.set(key, {
          body,
          gzip: gzipSync(body, { level: 9 }),
          br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: key.startsWith('assets/'),
        });
      }
    }
  };
  walk(dir);
  return files;
}
