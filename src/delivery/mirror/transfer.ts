import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

/** Why a transfer stopped; `code` becomes the file's reason. All of them are worth another try. */
export class TransferError extends Error {
  constructor(
    readonly code: 'stalled' | 'too_slow' | 'truncated' | 'size_mismatch' | 'source',
    message: string,
  ) {
    super(message);
  }
}

/** Bytes hashed in one go: about 0.3 ms of the event loop. */
const HASH_SLICE = 512 << 10;

export interface TransferOptions {
  /** Bytes the file must have (Content-Length, else the event's `file_size`), and which said so. */
  expected?: { size: number; from: string };
  /** No byte moving for this long (the portal silent, or the store not taking them): cut off. */
  stallMs: number;
  /** The longest the whole transfer may take. */
  maxMs: number;
  signal: AbortSignal;
}

export interface Transferred {
  size: number;
  sha256: string;
}

/**
 * Streams a source body into `write` (a target taking a Readable), hashing and counting on the
 * way, never holding more than the streams' buffers. The transfer fails, and the target must then
 * not keep the file, when the bytes do not add up to `expected`, when the source breaks off
 * (fewer bytes than its Content-Length), when nothing moves for `stallMs`, or past `maxMs`.
 * A target failure is thrown as the target threw it, unless the source failed first.
 */
export async function transfer(source: Readable, write: (body: Readable) => Promise<void>, opts: TransferOptions): Promise<Transferred> {
  const hash = createHash('sha256');
  let size = 0;
  let failure: Error | null = null;
  const expected = opts.expected;
  const fail = (err: Error): void => {
    failure ??= err;
    source.destroy(failure);
    meter.destroy(failure);
  };
  const meter = new Transform({
    // Big enough that a fast source is never throttled by the meter itself.
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      stall.refresh();
      if (expected && size > expected.size) return done(new TransferError('size_mismatch', `more than the ${expected.size} bytes ${expected.from} announced`));
      // In slices, letting the event loop run between them: a 4 MiB piece hashed at once would
      // hold every webhook arriving meanwhile for its few milliseconds.
      let at = 0;
      const step = (): void => {
        const end = Math.min(chunk.length, at + HASH_SLICE);
        hash.update(chunk.subarray(at, end));
        at = end;
        if (at < chunk.length) setImmediate(step);
        else done(null, chunk);
      };
      step();
    },
    flush(done) {
      if (expected && size !== expected.size) return done(new TransferError('size_mismatch', `${size} bytes arrived, ${expected.from} announced ${expected.size}`));
      done();
    },
  });
  const stall = setTimeout(() => fail(new TransferError('stalled', `no data moved for ${seconds(opts.stallMs)} (after ${size} bytes)`)), opts.stallMs);
  const cap = setTimeout(() => fail(new TransferError('too_slow', `the transfer took longer than max_transfer (${seconds(opts.maxMs)}) after ${size} bytes`)), opts.maxMs);
  const onAbort = (): void => fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  opts.signal.addEventListener('abort', onAbort, { once: true });
  if (opts.signal.aborted) onAbort();
  source.on('error', (err) => fail(failure ? failure : truncated(err, size, expected)));
  // Cut off before anyone listened (its error then went unheard).
  if (source.destroyed && !source.readableEnded) fail(new TransferError('truncated', `the source closed the connection after 0 bytes${expected ? ` of ${expected.size}` : ''}`));
  // Node's client ends a body cut short of its Content-Length with 'aborted' then an error.
  source.on('aborted', () => fail(new TransferError('truncated', `the source closed the connection after ${size} bytes${expected ? ` of ${expected.size}` : ''}`)));
  meter.on('error', (err) => {
    failure ??= err;
    source.destroy();
  });
  source.pipe(meter);
  try {
    await write(meter);
    if (failure) throw failure;
    return { size, sha256: hash.digest('hex') };
  } catch (err) {
    throw failure ?? err;
  } finally {
    clearTimeout(stall);
    clearTimeout(cap);
    opts.signal.removeEventListener('abort', onAbort);
    source.destroy();
  }
}

function truncated(err: Error, size: number, expected: TransferOptions['expected']): Error {
  if (err instanceof TransferError || err.name === 'AbortError') return err;
  return new TransferError('truncated', `the source failed after ${size} bytes${expected ? ` of ${expected.size}` : ''}: ${err.message}`);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
