/**
 * A point in time as EnableX (or a template) may give it -> epoch milliseconds, or null when it
 * cannot be read as a real instant. Never throws, never reads the server's time zone:
 * - a number or a numeric string is a Unix time, seconds below 1e12 (1e12 s is the year 33658;
 *   1e12 ms is 2001), milliseconds above;
 * - an ISO-8601 date or date-time: no offset means UTC (the vendor speaks of UTC), and offsets
 *   may be written `Z`, `+05:30`, `+0530` or `+05`, the forms its schema accepts.
 */
export function instantMs(v: unknown): number | null {
  if (v instanceof Date) return inRange(v.getTime());
  if (typeof v === 'number') return fromEpoch(v);
  if (typeof v !== 'string') return null;
  const text = v.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return fromEpoch(Number(text));
  const m = ISO.exec(text);
  if (!m) return null;
  const [, date, h = '00', min = '00', s = '00', frac = '', zone = 'Z'] = m;
  // A leap second (23:59:60) is the first instant of the next minute.
  const leap = s === '60' ? 1000 : 0;
  const ms = Date.parse(`${date}T${h}:${min}:${leap ? '59' : s}${frac.slice(0, 4)}${offset(zone)}`);
  return inRange(ms + leap);
}

/** ISO-8601 as ajv's iso-date-time reads it (seconds optional here), or a bare date. */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[Tt\s](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

function offset(zone: string): string {
  if (zone === 'Z' || zone === 'z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

function fromEpoch(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return inRange(value < 1e12 ? value * 1000 : value);
}

/** Year 10000: no EnableX event happens later, and derived times (+72 h) must stay valid dates. */
const LATEST_MS = Date.UTC(10000, 0, 1);

function inRange(ms: number): number | null {
  // Beyond ±8.64e15 ms a Date is invalid and toISOString throws; near that edge, so would
  // `expires_at` (+72 h). A time no event can have is as unreadable as no time at all.
  return Number.isFinite(ms) && ms >= 0 && ms < LATEST_MS ? ms : null;
}
