import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { tempDir } from './temp-dir.js';

export interface S3Request {
  method: string;
  path: string;
  query: string;
  /** x-amz-checksum-sha256 as sent, and whether it matched the body. */
  checksum: string | null;
  checksumOk: boolean | null;
  bodyBytes: number;
}

/** s3rver's own account: it checks SigV4 signatures against it. */
export const S3_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  // The SDK's notice that its 2027 releases need Node 22 (the relay pins an older one): not test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * An S3-protocol store in the test process: s3rver, behind a thin front on 127.0.0.1 that does
 * what s3rver does not and S3 does: it checks each write's x-amz-checksum-sha256 against the bytes
 * (BadDigest when they differ), and keeps a log of the requests. `refuse` makes the next writes
 * fail as S3 would (403 AccessDenied, 500), for outcome tests.
 */
export class S3Sink {
  readonly requests: S3Request[] = [];
  private refusals: number[] = [];

  private constructor(
    private readonly s3rver: { close(): Promise<void> },
    private readonly front: Server,
    readonly endpoint: string,
    readonly bucket: string,
    readonly directory: string,
    private readonly cleanup: () => void,
  ) {}

  static async start(bucket = 'enx-recordings'): Promise<S3Sink> {
    // The SDK's clients in the test process (client(), below) need no Node-version notice either.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
    const t = tempDir('enx-s3-');
    const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: t.dir, configureBuckets: [{ name: bucket }] });
    const { port: backPort } = (await s3rver.run()) as AddressInfo;
    let sink!: S3Sink;
    const front = createServer((req, res) => void sink.forward(req, res, backPort));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const { port } = front.address() as AddressInfo;
    sink = new S3Sink(s3rver, front, `http://127.0.0.1:${port}`, bucket, t.dir, t.cleanup);
    return sink;
  }

  /** The next `n` writes are answered `status` (403: AccessDenied, 500: InternalError). */
  refuse(status: number, n = 1): void {
    this.refusals.push(...Array(n).fill(status));
  }

  /** Writes are taken again. */
  accept(): void {
    this.refusals = [];
  }

  /** The environment a relay needs to write here, the AWS way. */
  env(): Record<string, string> {
    return { ...S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: this.endpoint };
  }

  client(): S3Client {
    return new S3Client({ region: 'us-east-1', endpoint: this.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  }

  async sha256(key: string): Promise<string> {
    const c = this.client();
    try {
      const res = await c.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const h = createHash('sha256');
      for await (const chunk of res.Body as AsyncIterable<Buffer>) h.update(chunk);
      return h.digest('hex');
    } finally {
      c.destroy();
    }
  }

  async head(key: string): Promise<{ size: number; metadata: Record<string, string> } | null> {
    const c = this.client();
    try {
      const res = await c.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: Number(res.ContentLength), metadata: res.Metadata ?? {} };
    } catch {
      return null;
    } finally {
      c.destroy();
    }
  }

  async keys(): Promise<string[]> {
    const c = this.client();
    try {
      const res = await c.send(new ListObjectsV2Command({ Bucket: this.bucket }));
      return (res.Contents ?? []).map((o) => o.Key!).sort();
    } finally {
      c.destroy();
    }
  }

  /** The requests that wrote bytes (PutObject, UploadPart). */
  writes(): S3Request[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.bodyBytes > 0);
  }

  async close(): Promise<void> {
    this.front.closeAllConnections();
    await new Promise<void>((r) => this.front.close(() => r()));
    await this.s3rver.close();
    this.cleanup();
  }

  private async forward(req: IncomingMessage, res: ServerResponse, backPort: number): Promise<void> {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const checksum = typeof req.headers['x-amz-checksum-sha256'] === 'string' ? req.headers['x-amz-checksum-sha256'] : null;
    const checksumOk = checksum === null ? null : createHash('sha256').update(body).digest('base64') === checksum;
    this.requests.push({ method: req.method ?? '', path: decodeURIComponent(path!), query, checksum, checksumOk, bodyBytes: body.length });
    if (req.method === 'PUT' && body.length > 0 && this.refusals.length > 0) {
      const status = this.refusals.shift()!;
      return xmlError(res, status, status === 403 ? 'AccessDenied' : 'InternalError', status === 403 ? 'Access Denied' : 'We encountered an internal error. Please try again.');
    }
    if (checksumOk === false) return xmlError(res, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    const back = request({ host: '127.0.0.1', port: backPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 500, up.headers);
      up.pipe(res);
    });
    back.on('error', () => res.destroy());
    back.end(body);
  }
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
