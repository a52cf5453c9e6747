/**
 * `trans_date` -> ISO-8601, or null when it cannot be read as a real instant. EnableX documents
 * "Unix Timestamp, in UTC" without an example, so seconds and milliseconds are told apart by size:
 * below 1e12 it is seconds (1e12 s is the year 33658; 1e12 ms is 2001).
 */
export function occurredAt(transDate: unknown): string | null {
  if (typeof transDate === 'number') return fromEpoch(transDate);
  if (typeof transDate !== 'string') return null;
  const text = transDate.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return fromEpoch(Number(text));
  // The vendor speaks of UTC: a date-time without an offset is UTC, not the relay's local time.
  const zoned = /[T\s]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text) ? `${text}Z` : text;
  return toIso(Date.parse(zoned));
}

function fromEpoch(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return toIso(value < 1e12 ? value * 1000 : value);
}

/** Year 10000: no EnableX event happens later, and derived times (+72 h) must stay valid dates. */
const LATEST_MS = Date.UTC(10000, 0, 1);

function toIso(ms: number): string | null {
  // Beyond ±8.64e15 ms a Date is invalid and toISOString throws; near that edge, so would
  // `expires_at` (+72 h). A time no event can have is as unreadable as no time at all.
  if (!Number.isFinite(ms) || ms < 0 || ms >= LATEST_MS) return null;
  return new Date(ms).toISOString();
}
