import { hostname } from 'node:os';
import type { Settings } from './config/env.js';
import { describeDb } from './config/describe-db.js';

/**
 * What the first line after start tells an admin: the URL to give EnableX, the store, the rules
 * file and which optional parts are on. A wildcard listen address is no URL anyone can use: the
 * machine's name stands in for it (behind a proxy, EnableX needs the proxy's public URL).
 */
export function startupLine(settings: Settings, url: string, parts: { worker: boolean; dashboardBuilt: boolean }): { fields: Record<string, unknown>; msg: string } {
  const u = new URL(url);
  if (u.hostname === '0.0.0.0' || u.hostname === '[::]') u.hostname = hostname();
  const webhook = new URL('/webhooks/enablex', u).toString();
  const fields = {
    url,
    webhook,
    store: describeDb(settings.db),
    rules: settings.rulesPath,
    ingest_auth: settings.ingestAuth ? 'basic' : 'off (open intake)',
    admin_api: settings.adminToken ? `on at ${new URL('/admin/', u).toString()}` : 'off (RELAY_ADMIN_TOKEN unset)',
    // The page exists only beside the admin API, and only once `npm run build` has written it.
    dashboard: !settings.adminToken ? 'off (RELAY_ADMIN_TOKEN unset)' : parts.dashboardBuilt ? `on at ${new URL('/dashboard/', u).toString()}` : 'not built (npm run build writes dist/dashboard)',
    worker: parts.worker,
  };
  return { fields, msg: `enx-relay listening: EnableX webhook URL ${webhook}` };
}
