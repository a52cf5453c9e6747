import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { transfer } from '../../../../src/delivery/mirror/transfer.js';

const MB = 1024 * 1024;

describe('a transfer', () => {
  it('hashes a large piece in slices, letting the event loop turn between them (webhooks are not held up)', async () => {
    const piece = Buffer.alloc(8 * MB, 3);
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const got = await transfer(Readable.from([piece]), (body) => pipeline(body, new PassThrough().resume()), {
      expected: { size: piece.length, from: 'Content-Length' },
      stallMs: 10_000,
      maxMs: 60_000,
      signal: new AbortController().signal,
    });
    counting = false;
    expect(got.sha256).to.equal(createHash('sha256').update(piece).digest('hex'));
    // 8 MiB is 16 slices: the loop turned between them.
    expect(turns).to.be.at.least(12);
  });
});
