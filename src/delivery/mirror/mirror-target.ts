import { isAbsolute, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a mirror writes: a bucket and prefix of S3-compatible storage, or a local directory. */
export type MirrorTarget =
  | { kind: 's3'; bucket: string; prefix: string; display: string }
  | { kind: 'file'; dir: string; display: string };

/** S3's bucket naming rules (MinIO, Ceph, R2 and the like follow them). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/prefix/` or `file:///absolute/dir` -> a target, or why not. An S3 prefix is a
 * folder: `s3://b/recordings` writes under `recordings/`. The admin's prefix and directory are
 * trusted text, but a `..` segment or a control character in them is refused all the same.
 */
export function parseTarget(to: string): { target: MirrorTarget } | { problem: string } {
  const s3 = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(to);
  if (s3) {
    const bucket = s3[1]!;
    if (!BUCKET.test(bucket) || bucket.includes('..')) return { problem: `"${bucket}" is not a valid bucket name (3 to 63 lower case letters, digits, dots and hyphens)` };
    const segments = (s3[2] ?? '').split('/').filter(Boolean);
    const bad = segments.find((s) => s === '.' || s === '..' || /[\u0000-\u001f\u007f]/.test(s));
    if (bad !== undefined) return { problem: `the prefix may not contain "${bad === '.' || bad === '..' ? bad : 'control characters'}"` };
    const prefix = segments.length > 0 ? `${segments.join('/')}/` : '';
    return { target: { kind: 's3', bucket, prefix, display: `s3://${bucket}/${prefix}` } };
  }
  if (/^file:/i.test(to)) {
    let url: URL;
    try {
      url = new URL(to);
    } catch {
      return { problem: `"${to}" is not a valid file URL` };
    }
    if (!/^file:\/\/\//i.test(to) && url.hostname !== 'localhost') return { problem: 'a file target is file:///absolute/dir (three slashes: no host)' };
    if (url.search || url.hash) return { problem: 'a file target has no query or fragment' };
    const dir = normalize(fileURLToPath(url)).replace(/\/+$/, '') || '/';
    if (!isAbsolute(dir)) return { problem: 'a file target must be an absolute directory' };
    if (/[\u0000-\u001f\u007f]/.test(dir)) return { problem: 'the directory may not contain control characters' };
    return { target: { kind: 'file', dir, display: `file://${dir}` } };
  }
  return { problem: 'to must be s3://bucket/prefix/ or file:///absolute/directory' };
}
