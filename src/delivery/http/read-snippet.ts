import type { IncomingMessage } from 'node:http';

/** Enough of an error answer to tell what went wrong, small enough for every attempt row. */
export const SNIPPET_CHARS = 500;

/**
 * The start of an error answer, whitespace collapsed, cut to SNIPPET_CHARS characters; the rest
 * is not read (the connection is closed instead), so a huge or endless error page costs nothing.
 * A body that fails midway gives what arrived.
 */
export function readSnippet(res: IncomingMessage, max = SNIPPET_CHARS): Promise<string> {
  // UTF-8 may take up to 4 bytes a character: this many bytes always hold `max` characters.
  const budget = max * 4;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
      resolve(text.length > max ? text.slice(0, max - 1) + '…' : text);
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= budget) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}
