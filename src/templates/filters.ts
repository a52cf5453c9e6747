import type { Liquid } from 'liquidjs';
import { PORTAL_LINK_LIFETIME_MS } from '../domain/event.js';
import { formatBytes } from './format.js';

/** The relay's own filters: `bytes`, `date` (overrides Liquid's, ISO aware), `expires`. */
export function registerFilters(liquid: Liquid): void {
  liquid.registerFilter('bytes', (v: unknown) => formatBytes(v));
  liquid.registerFilter('expires', (v: unknown) => {
    const t = toTime(v);
    return t === null ? '' : new Date(t + PORTAL_LINK_LIFETIME_MS).toISOString();
  });
  liquid.registerFilter('date', (v: unknown, fmt?: unknown) => {
    const t = toTime(v);
    if (t === null) return '';
    const iso = new Date(t).toISOString();
    // `date: "utc"` -> "2024-11-27 10:01 UTC", default ISO-8601.
    return fmt === 'utc' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
  });
}

function toTime(v: unknown): number | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string' && v) {
    if (/^\d+$/.test(v)) return toTime(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
