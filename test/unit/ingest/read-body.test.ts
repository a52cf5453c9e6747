import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { RelayError } from '../../../src/errors.js';
import { readBody } from '../../../src/ingest/read-body.js';
import { fixtureBytes } from './fixture.js';

interface Answer {
  status: number;
  body: Buffer;
  error?: { name: string; message: string };
}

interface Post {
  headers?: http.OutgoingHttpHeaders;
  chunks: (string | Buffer)[];
  /** false: leave the request unfinished, as a sender still uploading would. */
  end?: boolean;
}

const LIMIT = 100;

describe('ingest: readBody over a real HTTP server', () => {
  let server: http.Server;
  let port: number;
  let errors: unknown[];
  let errorSeen: (() => void) | null;

  before(async () => {
    server = http.createServer((req, res) => {
      readBody(req, Number(req.headers['x-limit'] ?? LIMIT)).then(
        (body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
        (err: unknown) => {
          errors.push(err);
          errorSeen?.();
          const status = err instanceof RelayError ? err.httpStatus : 500;
          const { name, message } = err as Error;
          // As the webhook route should: the rest of a refused upload is not worth reading.
          res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ name, message }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    errors = [];
    errorSeen = null;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function post({ headers = {}, chunks, end = true }: Post): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/enablex', headers, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          const status = res.statusCode ?? 0;
          resolve(status === 200 ? { status, body } : { status, body, error: JSON.parse(body.toString('utf8')) as Answer['error'] });
          req.destroy();
        });
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      if (end) req.end();
    });
  }

  it('reads a JSON body with its Content-Length, byte for byte', async () => {
    const body = fixtureBytes('roomdrop.json').subarray(0, LIMIT);
    const answer = await post({ headers: { 'content-type': 'application/json', 'content-length': body.length }, chunks: [body] });
    expect(answer.status).to.equal(200);
    expect(Buffer.compare(answer.body, body)).to.equal(0);
  });

  it('reads a text/plain body, and one with no Content-Type, sent chunked in pieces', async () => {
    const plain = await post({ headers: { 'content-type': 'text/plain' }, chunks: ['{"a":', '1}'] });
    expect(plain).to.deep.include({ status: 200 });
    expect(plain.body.toString()).to.equal('{"a":1}');
    const none = await post({ chunks: ['{"type":', '"roomdrop"', '}'] });
    expect(none.status).to.equal(200);
    expect(none.body.toString()).to.equal('{"type":"roomdrop"}');
  });

  it('reads an empty body as zero bytes', async () => {
    const answer = await post({ headers: { 'content-length': 0 }, chunks: [] });
    expect(answer.status).to.equal(200);
    expect(answer.body.length).to.equal(0);
  });

  it('takes a body of exactly the limit', async () => {
    expect((await post({ chunks: ['x'.repeat(LIMIT)] })).status).to.equal(200);
  });

  it('refuses a Content-Length over the limit at once, before the body is sent', async () => {
    // Only 10 of the announced 10 000 bytes are ever written: an answer proves nothing waited for the rest.
    const answer = await post({ headers: { 'content-length': 10_000 }, chunks: ['x'.repeat(10)], end: false });
    expect(answer.status).to.equal(413);
    expect(answer.error).to.deep.equal({ name: 'PayloadTooLargeError', message: `body is larger than the limit of ${LIMIT} bytes` });
  });

  it('cuts off a chunked body (no Content-Length) once it passes the limit', async () => {
    const answer = await post({ chunks: ['x'.repeat(60), 'x'.repeat(60)], end: false });
    expect(answer.status).to.equal(413);
    expect(answer.error?.name).to.equal('PayloadTooLargeError');
  });

  it('decodes gzip, deflate (zlib or raw) and br bodies', async () => {
    const json = Buffer.from('{"type":"roomdrop","n":1}');
    for (const [encoding, bytes] of [
      ['gzip', zlib.gzipSync(json)],
      ['x-gzip', zlib.gzipSync(json)],
      ['deflate', zlib.deflateSync(json)],
      ['deflate', zlib.deflateRawSync(json)],
      ['br', zlib.brotliCompressSync(json)],
      ['GZIP', zlib.gzipSync(json)],
    ] as const) {
      const answer = await post({ headers: { 'content-encoding': encoding }, chunks: [bytes] });
      expect(answer.status, encoding).to.equal(200);
      expect(answer.body.toString(), encoding).to.equal(json.toString());
    }
  });

  it('limits a compressed body by its decoded size too', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1_000_000, 0x20));
    expect(bomb.length).to.be.lessThan(LIMIT * 20);
    const answer = await post({ headers: { 'content-encoding': 'gzip', 'x-limit': String(bomb.length + 10) }, chunks: [bomb] });
    expect(answer.status).to.equal(413);
    expect(answer.error?.name).to.equal('PayloadTooLargeError');
  });

  it('refuses an unknown or stacked Content-Encoding with 415', async () => {
    for (const encoding of ['compress', 'zstd', 'deflate, gzip']) {
      const answer = await post({ headers: { 'content-encoding': encoding }, chunks: ['{}'] });
      expect(answer.status, encoding).to.equal(415);
      expect(answer.error?.name).to.equal('UnsupportedEncodingError');
      expect(answer.error?.message).to.include(encoding);
    }
    expect((await post({ headers: { 'content-encoding': 'identity' }, chunks: ['{}'] })).status).to.equal(200);
  });

  it('answers 400 for a body that does not decode as its Content-Encoding says', async () => {
    const answer = await post({ headers: { 'content-encoding': 'gzip' }, chunks: ['{"not":"gzip"}'] });
    expect(answer.status).to.equal(400);
    expect(answer.error?.message).to.include('could not be decoded as gzip');
  });

  it('ends with a typed error, not a hang, when the sender goes away mid-body', async () => {
    const seen = new Promise<void>((resolve) => (errorSeen = resolve));
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 50 }, agent: false });
    req.on('error', () => undefined);
    req.write('x'.repeat(10), () => setImmediate(() => req.destroy()));
    await seen;
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(RelayError);
    expect((errors[0] as RelayError).message).to.include('aborted');
  });
});
