const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s` -> 30000; a number is milliseconds already. Throws on anything else. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  const m = typeof v === 'string' ? /^(\d+)(ms|s|m|h|d)$/.exec(v) : null;
  if (!m) throw new Error(`not a duration: ${String(v)}`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

export const DEFAULT_RETRY_SCHEDULE = ['5s', '30s', '2m', '10m', '30m', '1h', '3h', '6h', '12h'] as const;
