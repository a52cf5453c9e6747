import type { S3Client } from '@aws-sdk/client-s3';

/** The object metadata that names the delivery that wrote an object (and so its upload's requests). */
export const DELIVERY_META = 'enx-relay-delivery';

/** One upload in progress: how to keep the id S3 gives its multipart upload, and its first failure. */
export interface UploadProgress {
  record: (uploadId: string) => Promise<void>;
  failure?: unknown;
}

export type UploadsInProgress = Map<string, UploadProgress>;

/**
 * lib-storage sends every request of an upload with the upload's params, our metadata among
 * them: a client middleware can tell whose each request is. It keeps the multipart upload's id
 * the moment CreateMultipartUpload answers (before any part goes, so a relay killed mid-upload
 * leaves an id to abort), and the first failure of the upload's requests, which lib-storage would
 * otherwise hide behind the error of its own attempt to abort.
 */
export function trackUploads(client: S3Client, uploads: UploadsInProgress): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Metadata?: Record<string, string> };
      const upload = uploads.get(input.Metadata?.[DELIVERY_META] ?? '');
      try {
        const result = await next(args);
        const uploadId = (result.output as { UploadId?: string }).UploadId;
        if (upload && context.commandName === 'CreateMultipartUploadCommand' && uploadId) await upload.record(uploadId);
        return result;
      } catch (err) {
        if (upload && context.commandName !== 'AbortMultipartUploadCommand') upload.failure ??= err;
        throw err;
      }
    },
    { step: 'initialize', name: 'enxRelayUploadProgress' },
  );
}
