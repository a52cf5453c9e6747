/** The last path segment of a file URL, as a short link label (`rec-1.mkv`); the URL itself if it has none. */
export function fileName(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/, 1)[0] ?? url;
  }
  const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
  if (!last) return url;
  try {
    return decodeURIComponent(last);
  } catch {
    // A malformed escape: keep the raw segment.
    return last;
  }
}

/** Only these get clickable links: other schemes (sftp:, s3:, bare paths) are shown as text. */
export function isLinkable(url: string): boolean {
  return /^(https?|ftp):\/\/[^\s]+$/i.test(url);
}
