import { readFile } from 'node:fs/promises';
import { parseRulesYaml } from '../config/rules-parse.js';
import { escapeControl } from '../logging/control-chars.js';
import type { Store } from '../store/store.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure } from './command-errors.js';
import { EXIT } from './exit-codes.js';
import { replayQuery } from './replay-query.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay replay [--status S] [--destination D] [--since 2h|ISO] [--event ID] [--dry-run] [--json]

Puts deliveries back to pending, due now, with a fresh retry schedule; a running relay's worker
sends them at its next poll (POST /admin/replay also wakes it at once). Without filters: every
dead delivery. With --event alone: every delivery of that event.

Exit 1 when --event or --destination names nothing there is (no such event; no such destination
in the rules and no delivery of that name matched), so a typo never reads as "nothing to do".

Options:
  --status S        pending, delivering, delivered or dead (default dead, unless --event is given)
  --destination D   only deliveries to this destination
  --since WHEN      only events received since: a duration (2h, 14d) or an ISO-8601 time
  --event ID        only this event's deliveries
  --dry-run         count what would be replayed, change nothing
  --json            {replayed, dryRun} as JSON`;

/** `enx-relay replay`: put deliveries back to pending with a fresh schedule. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: { status: { type: 'string' }, destination: { type: 'string' }, since: { type: 'string' }, event: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const dryRun = values['dry-run'] ?? false;
  const query = replayQuery({ status: values.status, destination: values.destination, since: values.since, eventId: values.event, dryRun }, new Date());
  const n = await withStore(async (store) => {
    const replayed = await store.replay(query);
    if (replayed === 0) await explainNothing(store, values.event, values.destination);
    return replayed;
  });
  if (values.json) console.log(JSON.stringify({ replayed: n, dryRun }));
  else console.log(dryRun ? `${n} deliver${n === 1 ? 'y' : 'ies'} would be replayed (dry run)` : `${n} deliver${n === 1 ? 'y' : 'ies'} replayed: pending, due now`);
  return EXIT.ok;
}

/** Nothing matched: fine if what was named exists (nothing to do), a failure if it does not. */
async function explainNothing(store: Store, eventId: string | undefined, destination: string | undefined): Promise<void> {
  if (eventId !== undefined && !(await store.getEvent(eventId))) {
    throw new CommandFailure(`nothing matched: there is no event with id "${escapeControl(eventId)}" (enx-relay events lists recent ones)`);
  }
  if (destination === undefined) return;
  const file = process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const names = await destinationNames(file);
  if (names?.includes(destination)) return;
  const known = names ? `; the destinations in ${file} are ${names.join(', ') || '(none)'}` : '';
  throw new CommandFailure(`nothing matched: no delivery to a destination named "${escapeControl(destination)}"${known}`);
}

/** The destination names of the rules file, read without checks or \${VAR} (none are needed for names). */
async function destinationNames(file: string): Promise<string[] | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = parseRulesYaml(text, file);
  if (!parsed.ok) return null;
  const d = (parsed.parsed.data as { destinations?: unknown } | null)?.destinations;
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? Object.keys(d) : null;
}
