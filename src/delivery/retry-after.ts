/**
 * A Retry-After header (RFC 9110 §10.2.3) as milliseconds from `now`: either delta-seconds or an
 * HTTP date. Anything else, including a negative delay, is ignored (undefined) rather than
 * trusted: a receiver's garbage must not stall or hurry a delivery.
 */
export function retryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined) return undefined;
  const v = header.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) {
    const ms = Number(v) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Only the date forms HTTP allows; Date.parse alone would accept "1" or "tomorrow-ish" strings.
  if (!/^[A-Za-z]{3},? /.test(v) && !/^[A-Za-z]+day, /.test(v)) return undefined;
  // asctime dates carry no zone, and HTTP dates are always GMT: never read them as local time.
  const at = Date.parse(/\b(GMT|UTC)\b/.test(v) ? v : `${v} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
