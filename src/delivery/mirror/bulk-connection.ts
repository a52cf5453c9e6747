import { connect as tcp, type Socket } from 'node:net';
import { connect as tls, type ConnectionOptions } from 'node:tls';

/** Most bytes one read hands over: a socket buffer's worth, not 64 KiB at a time. */
const READ_BYTES = 1 << 20;

/**
 * A connection for node:http's `createConnection` that reads in large pieces. By default a
 * socket hands over 64 KiB per read, and each piece costs the HTTP parser, the streams and the
 * file write a round of JavaScript: for a 2 GB download that overhead, not the network, sets the
 * pace (about half of curl's). With `onread`, each read fills a fresh 1 MiB buffer, handed to the
 * HTTP client as one 'data' event, as it would otherwise get 64 KiB. TLS reads one 16 KiB record
 * at a time: those are gathered (one copy) into 1 MiB pieces, or what one turn of the event
 * loop brought.
 */
export function bulkConnection(secure: boolean, opts: { host: string; port: number; servername?: string }): Socket {
  if (!secure) {
    const socket = tcp({
      host: opts.host,
      port: opts.port,
      onread: {
        buffer: () => Buffer.allocUnsafe(READ_BYTES),
        callback: (n: number, buf: Buffer): boolean => {
          socket.emit('data', buf.subarray(0, n));
          return true;
        },
      },
    });
    return socket;
  }
  let acc = Buffer.allocUnsafe(READ_BYTES);
  let used = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (used === 0) return;
    const chunk = acc.subarray(0, used);
    acc = Buffer.allocUnsafe(READ_BYTES);
    used = 0;
    socket.emit('data', chunk);
  };
  const onread = {
    buffer: Buffer.allocUnsafe(READ_BYTES),
    callback(n: number, buf: Buffer): boolean {
      if (used + n > acc.length) flush();
      buf.copy(acc, used, 0, n);
      used += n;
      if (used >= READ_BYTES / 2) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
  };
  // SNI names a host by name, never by address.
  const socket = tls({ host: opts.host, port: opts.port, ...(opts.servername ? { servername: opts.servername } : {}), onread } as ConnectionOptions);
  // What was gathered before the end goes first: the HTTP client must not see a body end early.
  socket.prependListener('end', flush);
  return socket;
}
