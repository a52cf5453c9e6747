import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config/env.js';
import { loadRules } from '../config/rules.js';
import { systemClock } from '../domain/clock.js';
import { DestinationSet } from '../delivery/destination-set.js';
import { BadRequestError } from '../errors.js';
import { destinationKinds } from '../delivery/kinds.js';
import { acceptPayload } from '../ingest/accept.js';
import { exampleEvents } from '../ingest/examples.js';
import { createLogger } from '../logger.js';
import { previewRoute } from '../routing/preview-route.js';
import { offlineStore } from '../store/offline-store.js';

/** `enx-relay route event.json`: which routes match, and each rendered message. Nothing is sent. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { rules: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const eventFile = positionals[0];
  if (!eventFile) {
    console.error('usage: enx-relay route <event.json> [--rules rules.yaml] [--json]');
    return 2;
  }
  const rulesFile = values.rules ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const loaded = await loadRules(rulesFile, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(`${e.path ?? rulesFile}: ${e.message}`);
    return 1;
  }
  let raw: Buffer;
  try {
    raw = await readFile(eventFile);
  } catch (err) {
    throw new BadRequestError(`cannot read ${eventFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const event = acceptPayload(raw, 'application/json', new Date());
  const set = new DestinationSet(loaded.rules, destinationKinds, {
    settings: loadSettings(),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    store: offlineStore(),
  });
  const preview = await previewRoute(event, set).finally(() => set.close());
  const failed = preview.deliveries.filter((d) => d.error !== undefined).length;
  if (values.json) {
    console.log(JSON.stringify({ event: { id: event.id, type: event.type }, ...preview }, null, 2));
    return failed ? 1 : 0;
  }
  console.log(`event: ${event.type} (app ${event.appId}, room ${event.roomId}, conf ${event.confNum})`);
  console.log(preview.matched.length ? 'matched routes:' : 'no route matched');
  for (const m of preview.matched) console.log(`  ${m.route} -> ${m.destinations.join(', ')}`);
  if (preview.deliveries.length === 0) console.log('no destination would receive it (kept as unrouted)');
  for (const r of preview.deliveries) {
    if (!r.message) {
      console.log(`\n== ${r.destination} via ${r.route ?? 'fallback'}: render failed: ${r.error}`);
      continue;
    }
    console.log(`\n== ${r.destination} via ${r.route ?? 'fallback'}: ${r.message.target}`);
    console.log(`   ${r.message.summary}`);
    console.log(typeof r.message.payload === 'string' ? r.message.payload : JSON.stringify(r.message.payload, null, 2));
  }
  return failed ? 1 : 0;
}
