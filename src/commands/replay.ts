import { parseArgs } from 'node:util';
import { parseStatus } from './parse-status.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';

/** `enx-relay replay`: put deliveries back to pending with a fresh schedule. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: 'string' },
      destination: { type: 'string' },
      since: { type: 'string' },
      event: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  // Without filters, replay means the dead letters; `--event ID` alone replays all of that event.
  const status = parseStatus(values.status ?? (values.event ? undefined : 'dead'));
  const now = new Date();
  const n = await withStore((store) =>
    store.replay({
      status,
      destination: values.destination,
      since: values.since ? parseWhen('--since', values.since, now) : undefined,
      eventId: values.event,
      dryRun: values['dry-run'],
      now,
    }),
  );
  console.log(values['dry-run'] ? `${n} deliver${n === 1 ? 'y' : 'ies'} would be replayed (dry run)` : `${n} deliver${n === 1 ? 'y' : 'ies'} replayed: pending, due now`);
  return 0;
}
