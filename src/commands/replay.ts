import { parseArgs } from 'node:util';
import type { DeliveryStatus } from '../domain/delivery.js';
import { BadRequestError } from '../errors.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';

const STATUSES = ['pending', 'delivering', 'delivered', 'dead'];

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
  const status = values.status ?? (values.event ? undefined : 'dead');
  if (status && !STATUSES.includes(status)) throw new BadRequestError(`--status must be one of ${STATUSES.join(', ')}`);
  const now = new Date();
  const n = await withStore((store) =>
    store.replay({
      status: status as DeliveryStatus | undefined,
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
