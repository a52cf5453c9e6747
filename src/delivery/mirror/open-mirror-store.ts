import type { DestinationDeps } from '../destination.js';
import { FileStore } from './file-store.js';
import type { MirrorOptions } from './mirror-options.js';
import type { MirrorStore } from './mirror-store.js';
import { S3Store } from './s3-store.js';

export function openMirrorStore(options: MirrorOptions, deps: Pick<DestinationDeps, 'store' | 'logger'>): MirrorStore {
  const t = options.target;
  return t.kind === 's3' ? new S3Store(t.bucket, t.prefix, options, { store: deps.store, logger: deps.logger }) : new FileStore(t.dir);
}
