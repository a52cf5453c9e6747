import type { IncomingMessage } from 'node:http';
import { connect as tcp, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connect as tls, type ConnectionOptions } from 'node:tls';
import { BulkBody } from './bulk-body.js';
import { READ_BYTES, readBuffers, type ReadBuffers } from './read-buffers.js';

/** Gathered past this size, a piece is handed on at once, not at the end of the loop's turn. */
const PASS_BYTES = 1 << 20;
/** Less room than this left in the buffer: reading goes on in another. */
const MIN_ROOM = 64 << 10;
/** TLS hands over one record (at most 16 KiB) per read, into this buffer, then copied. */
const TLS_RECORD_BYTES = 64 << 10;

/** A socket for node:http's `createConnection`, and the way to take the body past node:http. */
export interface BulkConnection {
  socket: Socket;
  /**
   * Called in the 'response' callback of the request this connection carries: the rest of the
   * body (`length` bytes, Content-Length framed) is read from the socket directly, in large
   * pieces and without node:http's copy of each. What node:http already parsed comes first.
   */
  takeBody(res: IncomingMessage, length: number): Readable;
}

/**
 * A connection that reads downloads in large pieces. By default a socket hands over 64 KiB per
 * read, and node:http copies each body piece into a fresh buffer: for a 1 GB download that
 * per-piece work and those copies, not the network, set the pace. Here reads land in large
 * reused buffers (read-buffers.ts): straight from the socket (`onread`) for plain TCP, gathered
 * from TLS's 16 KiB records (one copy) otherwise. What a buffer gathered is handed on as a view
 * of it, past 1 MiB or at the end of the event loop's turn; the next reads go on in the same
 * buffer until it is full, so a slow link's trickle fills buffers rather than pinning one per few
 * bytes. Until `takeBody`, pieces go to node:http as 'data' (which copies them; those buffers are
 * never reused); after it, to the body, whose consumer gives each piece back (`pool.give`).
 */
export function bulkConnection(secure: boolean, opts: { host: string; port: number; servername?: string }, pool: ReadBuffers = readBuffers): BulkConnection {
  let cur = pool.take();
  /** cur[start, used) is gathered and not yet handed on; cur[0, start) went out. */
  let start = 0;
  let used = 0;
  let scheduled = false;
  let body: BulkBody | null = null;
  let afterParse: (() => void) | null = null;
  /** The reader let go of its last buffer: the connection is closed. */
  let released = false;

  const handOn = (): void => {
    if (used === start) return;
    const piece = cur.subarray(start, used);
    start = used;
    pool.share(piece);
    if (body) {
      if (!body.deliver(piece)) socket.pause();
      return;
    }
    // A broken connection's parser is gone (node:http asserts there is one for each 'data').
    if (socket.destroyed) return;
    socket.emit('data', piece);
    // node:http copies what it keeps (header strings, body pieces): the piece is free again.
    pool.give(piece);
    // node:http parsed the response head in that call and may want the rest for itself.
    const then = afterParse;
    afterParse = null;
    then?.();
  };
  const flush = (): void => {
    scheduled = false;
    handOn();
  };
  /** After `n` more bytes landed at cur[used]. */
  const landed = (n: number): void => {
    used += n;
    if (cur.length - used < MIN_ROOM) {
      handOn();
      // The reader lets go of this buffer; it is free once its pieces are given back.
      pool.give(cur);
      if (socket.destroyed) return void (released = true);
      cur = pool.take();
      start = used = 0;
      return;
    }
    if (used - start >= PASS_BYTES) return handOn();
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  let socket: Socket;
  if (!secure) {
    socket = tcp({
      host: opts.host,
      port: opts.port,
      onread: {
        // Asked for after each read: the free room of the current buffer.
        buffer: () => cur.subarray(used),
        callback: (n: number): boolean => {
          landed(n);
          return true;
        },
      },
    });
  } else {
    const record = Buffer.allocUnsafe(TLS_RECORD_BYTES);
    // SNI names a host by name, never by address.
    socket = tls({
      host: opts.host,
      port: opts.port,
      ...(opts.servername ? { servername: opts.servername } : {}),
      onread: {
        buffer: record,
        callback: (n: number): boolean => {
          for (let off = 0; off < n && !released; ) {
            const k = Math.min(n - off, cur.length - used);
            record.copy(cur, used, off, off + k);
            off += k;
            landed(k);
          }
          return true;
        },
      },
    } as ConnectionOptions);
  }
  // What was gathered before the end goes first: the client must not see a body end early.
  socket.prependListener('end', flush);
  socket.once('close', () => {
    if (body) flush();
    if (released) return;
    released = true;
    pool.give(cur);
  });

  return {
    socket,
    takeBody(res: IncomingMessage, length: number): Readable {
      const taken = new BulkBody(socket, length);
      // The connection is the body's now: node:http ends it as cut short, unheard.
      res.on('error', () => undefined);
      afterParse = () => {
        // What node:http parsed of the body along with the head (its own copies), first.
        for (let c: Buffer | null; !taken.done && (c = res.read() as Buffer | null) !== null; ) taken.deliver(c);
        body = taken;
        socket.resume();
      };
      return taken;
    },
  };
}
