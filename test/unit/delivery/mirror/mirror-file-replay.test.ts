import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FileStore } from '../../../../src/delivery/mirror/file-store.js';
import { fetchSource } from '../../../../src/delivery/mirror/fetch-source.js';
import { mirrorFile } from '../../../../src/delivery/mirror/mirror-file.js';
import type { MirrorOptions } from '../../../../src/delivery/mirror/mirror-options.js';
import { transfer, TransferError } from '../../../../src/delivery/mirror/transfer.js';
import { systemClock } from '../../../../src/domain/clock.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import { openStore } from '../../../../src/store/open-store.js';
import type { Store } from '../../../../src/store/store.js';
import { tempDir } from '../../../support/temp-dir.js';

const MB = 1024 * 1024;

/** A portal that announces `size` bytes, sends a little, then cuts the connection. */
async function cuttingPortal(size: number): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('data', () => {
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
      s.write(Buffer.alloc(256 * 1024, 7));
      setTimeout(() => s.destroy(), 20);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rec-1.mkv`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A portal answer whose connection breaks while nobody reads it is an outcome, never a crash. */
describe('a portal connection that breaks while its body is not read yet', function () {
  this.timeout(20_000);
  let dir: ReturnType<typeof tempDir>;
  let state: Store;
  let portal: Awaited<ReturnType<typeof cuttingPortal>>;

  beforeEach(async () => {
    dir = tempDir('enx-mirror-replay-');
    state = await openStore({ engine: 'sqlite', path: join(dir.dir, 'relay.db') });
    portal = await cuttingPortal(64 * MB);
  });
  afterEach(async () => {
    portal.close();
    await state.close();
    dir.cleanup();
  });

  it('a copy of the same size already there (made before it was recorded): the look at it goes on, and the file is mirrored', async () => {
    const location = join(dir.dir, 'rec-1.mkv');
    // Read back and hashed, since the state has no record of it: time for the portal to cut.
    writeFileSync(location, Buffer.alloc(64 * MB, 7));
    const options = { sourceAuth: { username: 'u', password: 'p' }, sourceHosts: null, stallTimeoutMs: 5000, maxTransferMs: 60_000 } as unknown as MirrorOptions;
    const event = { id: 'e1' } as RelayEvent;
    const result = await mirrorFile(
      { deliveryId: 'd1', destination: 'vault', event, index: 0, url: portal.url, location, fileName: 'rec-1.mkv', expiresAt: null },
      { options, target: new FileStore(dir.dir), state, clock: systemClock, signal: new AbortController().signal },
    );
    expect(result).to.deep.include({ kind: 'mirrored', size: 64 * MB, skipped: true });
  });

  it('a body cut before the transfer began is a truncated transfer, not a wait for the stall timeout', async () => {
    const res = await fetchSource({ url: portal.url, auth: { username: 'u', password: 'p' }, hosts: null, timeoutMs: 5000, signal: new AbortController().signal });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const err = await transfer(res.body, async (body) => void body.pipe(new PassThrough()).resume(), { stallMs: 10_000, maxMs: 60_000, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TransferError);
    expect((err as TransferError).code).to.equal('truncated');
    expect(Date.now() - started).to.be.lessThan(5000);
  });
});
