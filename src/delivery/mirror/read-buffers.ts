/** Bytes one socket read of a download may fill: as much as a loopback or LAN socket buffer holds. */
export const READ_BYTES = 4 << 20;

/** Buffers kept for reuse: enough for the reads of a transfer in flight (socket, hash, write). */
const KEEP = 8;
/** With no buffer coming back for this long, the kept ones are let go (idle memory). */
const IDLE_MS = 5_000;

/**
 * Read buffers for the mirror's downloads, used again once their bytes are on their way out.
 * A fresh buffer's pages are faulted in by the kernel as the socket fills them; for a 1 GB
 * download that costs as much CPU as the copy itself. Reused buffers are already mapped.
 *
 * A buffer is cut into pieces (views) as reads fill it, and counts its holders: `take` hands one
 * out held once (by the reader); each piece handed on from it is `share`d; `give` (the buffer or
 * any view of it) ends one hold: the reader's when it moves to another buffer, a consumer's when
 * it no longer needs a piece's bytes, once per piece. At zero the buffer is free again. Views of
 * buffers this pool did not make are ignored; a piece never given back keeps its buffer out of
 * the pool, to be collected with it.
 */
export class ReadBuffers {
  private readonly holders = new WeakMap<ArrayBufferLike, number>();
  private readonly free: Buffer[] = [];
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly size = READ_BYTES,
    private readonly keep = KEEP,
  ) {}

  take(): Buffer {
    const buf = this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.holders.set(buf.buffer, 1);
    return buf;
  }

  share(piece: Uint8Array): void {
    const n = this.holders.get(piece.buffer);
    if (n !== undefined && n > 0) this.holders.set(piece.buffer, n + 1);
  }

  give(piece: Uint8Array): void {
    const ab = piece.buffer;
    const n = this.holders.get(ab);
    if (n === undefined || n <= 0) return;
    this.holders.set(ab, n - 1);
    if (n > 1 || this.free.length >= this.keep) return;
    this.free.push(Buffer.from(ab, 0, this.size));
    this.idle?.refresh();
    this.idle ??= setTimeout(() => {
      this.free.length = 0;
      this.idle = null;
    }, IDLE_MS).unref();
  }

  /** How many are free now (for tests). */
  get kept(): number {
    return this.free.length;
  }
}

/** The process's pool, shared by every download. */
export const readBuffers = new ReadBuffers();
