import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import type { MirrorOptions } from './mirror-options.js';
import { TargetError, type MirrorStore } from './mirror-store.js';
import { classifyS3Error } from './s3-errors.js';
import { DELIVERY_META, trackUploads, type UploadProgress, type UploadsInProgress } from './s3-upload-tracker.js';

/** 8 MiB parts, 4 in flight: about 40 MB of buffers at most, whatever the file's size (up to 80 GB). */
export const PART_SIZE = 8 * 1024 * 1024;
export const QUEUE_SIZE = 4;


type Sdk = typeof import('@aws-sdk/client-s3');

/**
 * S3-compatible storage through the AWS SDK v3, configured the AWS way: region, credentials and
 * endpoint from the SDK's standard settings (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_ENDPOINT_URL_S3, profiles, roles), `region`, `endpoint` and `force_path_style` from the
 * rules. Uploads are multipart (lib-storage) with SHA-256 flexible checksums, which the store
 * verifies part by part. A multipart upload a killed relay left behind is aborted by the next
 * attempt of the same delivery: its id is kept in the relay's state the moment S3 hands it out.
 * The SDK is loaded on first use, so a relay without S3 mirrors never loads it.
 */
export class S3Store implements MirrorStore {
  private sdk: Promise<{ sdk: Sdk; client: S3Client }> | null = null;
  /** Uploads in progress, by delivery id. */
  private readonly uploads: UploadsInProgress = new Map();

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly opts: Pick<MirrorOptions, 'region' | 'endpoint' | 'forcePathStyle' | 'stallTimeoutMs'>,
    private readonly deps: { store: Store; logger: Logger },
  ) {}

  async stat(location: string): Promise<{ size: number } | null> {
    const { sdk, client } = await this.load();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(location) }));
      return { size: Number(head.ContentLength ?? 0) };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // Without s3:ListBucket, S3 answers 403 for a key that is not there: "cannot tell" is "make
      // it". Credentials that are really refused fail the upload just after, as target_auth.
      if (status === 404 || status === 403 || (err as Error).name === 'NotFound') return null;
      throw classifyS3Error(err);
    }
  }

  async write(location: string, body: Readable, ctx: { deliveryId: string; contentType: string | null }): Promise<void> {
    const { sdk, client } = await this.load();
    const { Upload } = await import('@aws-sdk/lib-storage');
    const Key = this.keyOf(location);
    const stateKey = `mirror:upload:${ctx.deliveryId}`;
    await this.abortLeftover(stateKey, sdk, client);
    const progress: UploadProgress = {
      record: (uploadId) => this.deps.store.setState(stateKey, JSON.stringify({ bucket: this.bucket, key: Key, uploadId })),
    };
    this.uploads.set(ctx.deliveryId, progress);
    const upload = new Upload({
      client,
      params: {
        Bucket: this.bucket,
        Key,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ...(ctx.contentType ? { ContentType: ctx.contentType } : {}),
        Metadata: { [DELIVERY_META]: ctx.deliveryId },
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    });
    try {
      await upload.done();
    } catch (err) {
      // lib-storage then aborts the multipart upload and, should that fail too, throws the abort's
      // error: the first failure (a part refused) is the one that says what happened.
      throw err instanceof Error && err.name === 'AbortError' ? err : classifyS3Error(progress.failure ?? err);
    } finally {
      this.uploads.delete(ctx.deliveryId);
    }
    // Completed: nothing is left over. (After a failure the record stays, for the next attempt.)
    await this.deps.store.setState(stateKey, 'null').catch(() => undefined);
  }

  async read(location: string): Promise<Readable> {
    const { sdk, client } = await this.load();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(location) }));
      return res.Body as Readable;
    } catch (err) {
      throw classifyS3Error(err);
    }
  }

  async presign(location: string, ttlMs: number): Promise<string> {
    const { sdk, client } = await this.load();
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(location) }), { expiresIn: Math.floor(ttlMs / 1000) });
  }

  async probe(): Promise<void> {
    const { sdk, client } = await this.load();
    const Key = `${this.prefix}.enx-relay-check`;
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key, Body: 'enx-relay check\n', ChecksumAlgorithm: 'SHA256' }));
    } catch (err) {
      throw classifyS3Error(err);
    }
    // The relay needs to write, not to delete: a refused delete only leaves the probe behind.
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key })).catch(() => undefined);
  }

  close(): void {
    void this.sdk?.then(({ client }) => client.destroy(), () => undefined);
    this.sdk = null;
  }

  private keyOf(location: string): string {
    const base = `s3://${this.bucket}/`;
    if (!location.startsWith(base)) throw new TargetError('target_config', `${location} is not in bucket ${this.bucket}`);
    return location.slice(base.length);
  }

  /** A multipart upload a killed attempt of this delivery left: abort it, so it stops costing storage. */
  private async abortLeftover(stateKey: string, sdk: Sdk, client: S3Client): Promise<void> {
    const raw = await this.deps.store.getState(stateKey);
    const left = raw ? (JSON.parse(raw) as { bucket: string; key: string; uploadId: string } | null) : null;
    if (!left?.uploadId) return;
    try {
      await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: left.bucket, Key: left.key, UploadId: left.uploadId }));
      this.deps.logger.info({ bucket: left.bucket, key: left.key, uploadId: left.uploadId }, 'mirror: aborted the multipart upload an interrupted attempt left');
    } catch (err) {
      this.deps.logger.warn({ bucket: left.bucket, key: left.key, uploadId: left.uploadId, err: (err as Error).name }, 'mirror: could not abort a leftover multipart upload (a lifecycle rule AbortIncompleteMultipartUpload cleans it up)');
    }
    await this.deps.store.setState(stateKey, 'null');
  }

  private load(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.sdk ??= import('@aws-sdk/client-s3').then((sdk) => {
      const client = new sdk.S3Client({
        ...(this.opts.region ? { region: this.opts.region } : {}),
        ...(this.opts.endpoint ? { endpoint: this.opts.endpoint } : {}),
        forcePathStyle: this.opts.forcePathStyle,
        // A few quick retries of one request (the SDK's own, with backoff); the schedule does the long ones.
        maxAttempts: 3,
        // requestTimeout is the socket's idle time: a part that stops moving fails like a stalled download.
        requestHandler: { connectionTimeout: 30_000, requestTimeout: Math.max(this.opts.stallTimeoutMs, 30_000) },
      });
      trackUploads(client, this.uploads);
      return { sdk, client };
    });
    return this.sdk;
  }
}
