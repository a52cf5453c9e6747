/** Enough of an error answer to tell what went wrong, small enough for every attempt row. */
export const SNIPPET_CHARS = 500;

/**
 * The start of a response body, whitespace collapsed, cut to `max` characters; the rest is
 * cancelled rather than read, so a huge or endless error page costs nothing and the connection
 * is released either way. A body that fails midway (timeout, reset) gives what was read.
 */
export async function readSnippet(res: Response, max = SNIPPET_CHARS): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // UTF-8 may take up to 4 bytes a character: this many bytes always hold `max` characters.
  const budget = max * 4;
  try {
    while (size < budget) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // Keep what arrived.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** Release a response whose body we do not need. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}
