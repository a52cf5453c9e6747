import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { loadSettings } from '../config/env.js';
import { loadRules } from '../config/rules.js';
import { staticSecrets } from '../config/static-secrets.js';
import { systemClock } from '../domain/clock.js';
import { KNOWN_TYPES, type KnownType } from '../domain/event.js';
import { DestinationSet } from '../delivery/destination-set.js';
import { destinationKinds } from '../delivery/kinds.js';
import { acceptPreviewPayload } from '../ingest/accept-preview.js';
import { exampleBodies, exampleEvents } from '../ingest/examples.js';
import { escapeControl } from '../logging/control-chars.js';
import { createLogger } from '../logger.js';
import { previewRoute } from '../routing/preview-route.js';
import { redactJson } from '../http/admin/redact.js';
import { offlineStore } from '../store/offline-store.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';

export const usage = `Usage: enx-relay route (<event.json> | - | --example TYPE) [--rules FILE] [--json]

Which routes match an event and the message each chosen destination would get, by the rules
(--rules, else RELAY_RULES, else config/rules.example.yaml). Nothing is sent, nothing stored.
The event is read and checked as the webhook reads it: from a file, from standard input (-),
or one of the samples (--example roomdrop | recording | transcoded | file-transfer).
Secrets are masked as the admin API masks them: credential headers, values from \${VAR}.

Options:
  --example TYPE  a sample event of this type
  --rules FILE    the rules file to use
  --json          {event, matched, deliveries} as JSON`;

/** `enx-relay route event.json`: which routes match, and each rendered message. Nothing is sent. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    options: { rules: { type: 'string' }, example: { type: 'string' }, json: { type: 'boolean' } },
    positionals: { max: 1, what: 'one event file, or - for standard input' },
  });
  const source = positionals[0];
  if ((source === undefined) === (values.example === undefined)) throw new UsageError('give one event: a file, - for standard input, or --example TYPE');
  const raw = await readEvent(source, values.example);
  const rulesFile = values.rules ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const loaded = await loadRules(rulesFile, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(`${e.path ?? rulesFile}: ${e.message}`);
    console.error(`(enx-relay check ${rulesFile} shows each error with its line)`);
    return EXIT.failed;
  }
  const event = acceptPreviewPayload(raw, 'application/json', new Date());
  const settings = loadSettings();
  const set = new DestinationSet(loaded.rules, destinationKinds, { settings, logger: createLogger({ level: 'silent' }), clock: systemClock, store: offlineStore() });
  const preview = await previewRoute(event, set).finally(() => set.close());
  // Masked as POST /admin/route-test masks its answer: every string, for the secrets of the settings and the rules.
  const shown = redactJson({ event: { id: event.id, type: event.type, appId: event.appId, roomId: event.roomId, confNum: event.confNum }, ...preview }, [...staticSecrets(settings), ...loaded.rules.secrets]) as typeof preview & {
    event: { id: string; type: string; appId: string; roomId: string; confNum: string };
  };
  const failed = shown.deliveries.some((d) => d.error !== undefined);
  if (values.json) {
    console.log(JSON.stringify(shown, null, 2));
    return failed ? EXIT.failed : EXIT.ok;
  }
  const e = shown.event;
  const out = [`event: ${e.type} (app ${e.appId}, room ${e.roomId}, conf ${e.confNum})`, shown.matched.length ? 'matched routes:' : 'no route matched'];
  for (const m of shown.matched) out.push(`  ${m.route} -> ${m.destinations.join(', ')}`);
  if (shown.deliveries.length === 0) out.push('no destination would receive it (kept as unrouted)');
  for (const r of shown.deliveries) {
    const via = `${r.destination} via ${r.route ?? 'fallback'}`;
    if (!r.message) {
      out.push('', `== ${via}: render failed: ${r.error}`);
      continue;
    }
    out.push('', `== ${via}: ${r.message.target}`, `   ${r.message.summary}`);
    // A log line's payload is its summary: print it once.
    if (r.message.payload !== r.message.summary) out.push(typeof r.message.payload === 'string' ? r.message.payload : JSON.stringify(r.message.payload, null, 2));
  }
  console.log(out.map((l) => l.split('\n').map(escapeControl).join('\n')).join('\n'));
  return failed ? EXIT.failed : EXIT.ok;
}

async function readEvent(source: string | undefined, example: string | undefined): Promise<Buffer> {
  if (example !== undefined) {
    if (!(KNOWN_TYPES as readonly string[]).includes(example)) throw new UsageError(`--example must be one of ${KNOWN_TYPES.join(', ')}`);
    return Buffer.from(JSON.stringify(exampleBodies()[example as KnownType], null, 2));
  }
  if (source === '-') return buffer(process.stdin);
  try {
    return await readFile(source!);
  } catch (err) {
    throw new CommandFailure(`cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
