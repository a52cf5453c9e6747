import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TargetError, type MirrorStore, type WriteContext } from './mirror-store.js';

/** Local failures an admin must fix (permissions, a file where a folder should be, ...). */
const CONFIG_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EEXIST', 'ELOOP']);

/**
 * `file:///dir`: each copy is written to a temporary name beside its final one (named after the
 * delivery, so a retry overwrites what a killed attempt left), flushed to disk (fsync), renamed
 * into place, and the directory flushed too: after a crash a copy is either whole or absent.
 */
export class FileStore implements MirrorStore {
  constructor(private readonly dir: string) {}

  async stat(location: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(location);
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw classify(err);
    }
  }

  async write(location: string, body: Readable, ctx: Pick<WriteContext, 'deliveryId' | 'written'>): Promise<void> {
    const dir = dirname(location);
    const tmp = join(dir, `.enx-relay-${ctx.deliveryId}.partial`);
    let created: string | undefined;
    try {
      created = await mkdir(dir, { recursive: true });
    } catch (err) {
      body.destroy();
      throw classify(err);
    }
    try {
      const fh = await open(tmp, 'w', 0o644);
      try {
        await pipeline(body, fileSink(fh, ctx.written));
      } finally {
        await fh.close();
      }
      await rename(tmp, location);
      // The rename is durable once its directory is; new folders once their parents are.
      await syncDirs(dir, created, this.dir);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw isFsError(err) ? classify(err) : err;
    }
  }

  async read(location: string): Promise<Readable> {
    return createReadStream(location, { highWaterMark: 1 << 20 });
  }

  async probe(): Promise<void> {
    await this.write(join(this.dir, '.enx-relay-check'), Readable.from([Buffer.from('enx-relay check\n')]), { deliveryId: 'check' });
    await rm(join(this.dir, '.enx-relay-check'), { force: true });
  }

  close(): void {}
}

/**
 * Writes each chunk as it comes, one write at a time (the next chunks wait in the stream), then
 * flushes the file to disk (fsync) before the pipeline ends. A chunk is reported `written` once
 * its bytes are in the file.
 */
function fileSink(fh: FileHandle, written?: (chunk: Buffer) => void): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, done) {
      writeAll(fh, chunk).then(() => {
        written?.(chunk);
        done();
      }, done);
    },
    final(done) {
      fh.sync().then(() => done(), done);
    },
  });
}

async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
}

async function syncDirs(dir: string, created: string | undefined, base: string): Promise<void> {
  const dirs = [dir];
  if (created) {
    // Every folder mkdir made, and the one it made the first in.
    for (let d = dir; d !== dirname(created) && !relative(base, d).startsWith('..'); d = dirname(d)) if (!dirs.includes(d)) dirs.push(d);
    dirs.push(dirname(created));
  }
  for (const d of dirs) {
    const fh = await open(d, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

function isFsError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_');
}

function classify(err: unknown): TargetError {
  const e = err as NodeJS.ErrnoException;
  const where = e.path ? ` (${e.path.split(sep).slice(-3).join(sep)})` : '';
  const text = `${e.code ?? 'error'}: ${e.message?.split(',')[0] ?? String(err)}${where}`;
  return new TargetError(CONFIG_CODES.has(e.code ?? '') ? 'target_config' : 'target', text);
}
