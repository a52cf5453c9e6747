import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import getRawBody from 'raw-body';
import { BadRequestError, PayloadTooLargeError, UnsupportedEncodingError } from '../errors.js';

type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

const decoders = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  deflateRaw: promisify(zlib.inflateRaw),
  br: promisify(zlib.brotliDecompress),
};

/**
 * The whole request body as bytes, whatever its Content-Type (EnableX's is not documented), at
 * most `limitBytes` of them. A Content-Length above the limit is refused before a byte is read;
 * a chunked body is cut off as soon as it passes the limit. A compressed body is limited twice:
 * as sent, and once decoded (a small gzip can expand to gigabytes).
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const coding = contentCoding(req.headers['content-encoding']);
  const declared = Number(req.headers['content-length']);
  const length = req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) ? declared : null;
  if (length !== null && length > limitBytes) throw new PayloadTooLargeError(limitBytes);
  let bytes: Buffer;
  try {
    bytes = await getRawBody(req, { limit: limitBytes, length });
  } catch (err) {
    throw readError(err, limitBytes);
  }
  return coding === 'identity' ? bytes : decode(bytes, coding, limitBytes);
}

function contentCoding(header: string | undefined): Coding {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  const [only] = codings;
  if (codings.length === 1 && only !== undefined) {
    if (only === 'gzip' || only === 'x-gzip') return 'gzip';
    if (only === 'deflate' || only === 'br') return only;
  }
  // Stacked codings ("deflate, gzip") are legal HTTP but no webhook sender uses them.
  throw new UnsupportedEncodingError(header ?? '');
}

async function decode(bytes: Buffer, coding: Exclude<Coding, 'identity'>, limitBytes: number): Promise<Buffer> {
  const options = { maxOutputLength: limitBytes };
  try {
    if (coding === 'deflate') {
      // HTTP "deflate" is zlib-wrapped, but some senders send raw deflate: the zlib header tells.
      return await (hasZlibHeader(bytes) ? decoders.deflate(bytes, options) : decoders.deflateRaw(bytes, options));
    }
    return await decoders[coding](bytes, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(limitBytes);
    throw new BadRequestError(`body could not be decoded as ${coding}: ${(err as Error).message}`);
  }
}

function hasZlibHeader(bytes: Buffer): boolean {
  const [cmf, flg] = bytes;
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}

function readError(err: unknown, limitBytes: number): Error {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return new PayloadTooLargeError(limitBytes);
  if (type === 'request.aborted') return new BadRequestError('the request was aborted before its body was complete');
  if (type === 'request.size.invalid') return new BadRequestError('the body is not as long as its Content-Length says');
  return err instanceof Error ? err : new Error(String(err));
}
