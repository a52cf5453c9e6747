import type { Liquid } from 'liquidjs';
import { instantMs } from '../domain/instant.js';
import { PORTAL_LINK_LIFETIME_MS } from '../domain/event.js';
import { formatBytes } from './format.js';

/**
 * The relay's own filters: `bytes`, `date` (overrides Liquid's, ISO aware), `expires`. They read
 * times as `trans_date` is read (UTC when no offset is given) and never throw: a value that is
 * no readable time renders empty, so one odd event cannot kill its deliveries.
 */
export function registerFilters(liquid: Liquid): void {
  liquid.registerFilter('bytes', (v: unknown) => formatBytes(v));
  liquid.registerFilter('expires', (v: unknown) => {
    const t = instantMs(v);
    return t === null ? '' : new Date(t + PORTAL_LINK_LIFETIME_MS).toISOString();
  });
  liquid.registerFilter('date', (v: unknown, fmt?: unknown) => {
    const t = instantMs(v);
    if (t === null) return '';
    const iso = new Date(t).toISOString();
    // `date: "utc"` -> "2024-11-27 10:01 UTC", default ISO-8601.
    return fmt === 'utc' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
  });
}
