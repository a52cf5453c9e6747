import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileStore } from '../../../../src/delivery/mirror/file-store.js';
import { tempDir } from '../../../support/temp-dir.js';

describe('the file store', () => {
  it('tells of each chunk only once its bytes are in the file (so that its buffer can be reused)', async () => {
    const dir = tempDir('enx-file-store-');
    const chunks = Array.from({ length: 6 }, (_, i) => Buffer.alloc(256 * 1024 + i, i + 1));
    const seen: [number, number][] = [];
    let sent = 0;
    await new FileStore(dir.dir).write(join(dir.dir, 'a', 'copy.bin'), Readable.from(chunks), {
      deliveryId: 'd1',
      written: (chunk) => {
        sent += chunk.length;
        seen.push([sent, statSync(join(dir.dir, 'a', '.enx-relay-d1.partial')).size]);
        // Overwriting it now must not change the copy.
        chunk.fill(0);
      },
    });
    expect(seen.map(([s, onDisk]) => onDisk >= s)).to.deep.equal(chunks.map(() => true));
    const copy = readFileSync(join(dir.dir, 'a', 'copy.bin'));
    expect(copy.equals(Buffer.concat(chunks.map((c, i) => Buffer.alloc(c.length, i + 1))))).to.equal(true);
    dir.cleanup();
  });
});
