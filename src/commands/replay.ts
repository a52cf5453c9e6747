import { parseArgs } from 'node:util';
import { replayQuery } from './replay-query.js';
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
  const query = replayQuery(
    { status: values.status, destination: values.destination, since: values.since, eventId: values.event, dryRun: values['dry-run'] },
    new Date(),
  );
  const n = await withStore((store) => store.replay(query));
  console.log(values['dry-run'] ? `${n} deliver${n === 1 ? 'y' : 'ies'} would be replayed (dry run)` : `${n} deliver${n === 1 ? 'y' : 'ies'} replayed: pending, due now`);
  return 0;
}
