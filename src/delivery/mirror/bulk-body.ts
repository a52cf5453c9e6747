import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { READ_BYTES } from './read-buffers.js';

/**
 * A response body of `length` bytes (Content-Length framing), read straight from its socket
 * (bulk-connection.ts hands the pieces in). Pieces are passed on as they came, never joined, so
 * that a consumer can give their buffers back (read-buffers.ts). Bytes past `length` are not the
 * body and are dropped; the connection is closed once the body is whole. A connection that ends
 * or breaks first is the same as node:http's cut-off body: 'aborted', then an error, emitted (as
 * node:http does) only to a listener: a body nobody reads yet must not crash the process.
 */
export class BulkBody extends Readable {
  private remaining: number;

  constructor(
    private readonly socket: Socket,
    length: number,
  ) {
    super({ highWaterMark: READ_BYTES });
    this.remaining = length;
    const cut = (): void => {
      if (this.remaining === 0 || this.destroyed) return;
      this.emit('aborted');
      this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    socket.once('end', cut);
    socket.once('close', cut);
    if (length === 0) this.finish();
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  /** A piece from the socket, in order. False: stop reading until this body asks for more. */
  deliver(chunk: Buffer): boolean {
    if (this.remaining === 0 || this.destroyed) return false;
    const piece = chunk.length > this.remaining ? chunk.subarray(0, this.remaining) : chunk;
    this.remaining -= piece.length;
    const more = this.push(piece);
    if (this.remaining === 0) {
      this.finish();
      return false;
    }
    return more;
  }

  private finish(): void {
    this.push(null);
    // One request per connection: nothing after the body is wanted.
    this.socket.destroy();
  }

  override _read(): void {
    if (this.remaining > 0) this.socket.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(this.listenerCount('error') > 0 ? err : null);
  }
}
