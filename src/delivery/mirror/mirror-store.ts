import type { Readable } from 'node:stream';

/**
 * Where copies go, by location (`s3://bucket/key` or an absolute path, as mirror-key.ts makes
 * them). Two implementations: s3-store.ts and file-store.ts.
 */
export interface MirrorStore {
  /** The copy's size, or null when there is none. Throws on a failure to look. */
  stat(location: string): Promise<{ size: number } | null>;
  /**
   * Writes the whole body, or nothing: a failed or cut-off write leaves no copy (and no partial
   * one under the final name). `deliveryId` names the attempt's leftovers, so that the next
   * attempt of the same delivery can clear what a killed one left behind. `written`, when given,
   * is told of each chunk of `body` whose bytes the store no longer needs (it may reuse them).
   */
  write(location: string, body: Readable, ctx: WriteContext): Promise<void>;
  /** The copy's bytes, to hash a copy made before the relay recorded it. */
  read(location: string): Promise<Readable>;
  /** A presigned HTTPS link to the copy, valid `ttlMs` (S3 only). */
  presign?(location: string, ttlMs: number): Promise<string>;
  /** Writes and removes a small object: does the target take writes with these credentials? */
  probe(): Promise<void>;
  close(): void;
}

export interface WriteContext {
  deliveryId: string;
  contentType: string | null;
  written?: (chunk: Buffer) => void;
}

/** A failure of the target itself (the bucket, the disk), classified. */
export class TargetError extends Error {
  constructor(
    /** `target_auth` and `target_config` wait for an admin; `target` is tried again. */
    readonly code: 'target' | 'target_auth' | 'target_config',
    message: string,
  ) {
    super(message);
  }
}
