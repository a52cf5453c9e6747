import { createInterface } from 'node:readline/promises';
import { parseCommandArgs } from './args.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';
import { formatTime } from './format-time.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay purge (--dead | --delivered) [--before 14d|ISO] [--dry-run] [--yes] [--json]

Deletes finished events received before a time, with their deliveries and attempts. An event
with a delivery still pending or in flight is never deleted. Dead letters go only with --dead:
they stay until replayed or purged on purpose.

On a terminal it shows how many events would go and asks before deleting; --yes skips the
question (scripts, cron). Without a terminal and without --yes it deletes nothing and exits 1.

Options:
  --dead          events with a dead delivery (the others finished)
  --delivered     events whose deliveries were all delivered (or that had none)
  --before WHEN   received before: a duration ago (default 14d) or an ISO-8601 time
  --dry-run       count what would be deleted, delete nothing
  --yes           do not ask
  --json          {purged | wouldPurge, before} as JSON`;

/** `enx-relay purge --dead --before 30d`: dead letters are removed only on purpose. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: { dead: { type: 'boolean' }, delivered: { type: 'boolean' }, before: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (!values.dead && !values.delivered) throw new UsageError('say what to purge: --dead and/or --delivered');
  const before = parseWhen('--before', values.before ?? '14d');
  const what = [values.delivered ? 'delivered' : null, values.dead ? 'dead' : null].filter(Boolean).join(' and ');
  const q = { before, dead: values.dead ?? false, delivered: values.delivered ?? false };
  return withStore(async (store) => {
    const count = await store.purge({ ...q, dryRun: true });
    const events = `${count} ${what} event${count === 1 ? '' : 's'} received before ${formatTime(before.toISOString())}`;
    if (values['dry-run']) {
      print(values.json, { wouldPurge: count, before: before.toISOString() }, `${events} would be purged (dry run)`);
      return EXIT.ok;
    }
    if (count > 0 && !values.yes) {
      if (!process.stdin.isTTY) throw new CommandFailure(`${events} would be purged: add --yes to delete them without a terminal to confirm on`);
      if (!(await confirm(`Delete ${events}? This cannot be undone. [y/N] `))) {
        console.error('nothing purged');
        return EXIT.failed;
      }
    }
    const n = await store.purge(q);
    print(values.json, { purged: n, before: before.toISOString() }, `${n} event${n === 1 ? '' : 's'} received before ${formatTime(before.toISOString())} purged`);
    return EXIT.ok;
  });
}

function print(json: boolean | undefined, data: Record<string, unknown>, text: string): void {
  console.log(json ? JSON.stringify(data) : text);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
