import { parseArgs } from 'node:util';
import { BadRequestError } from '../errors.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';

/** `enx-relay purge --dead --before 30d`: dead letters are removed only on purpose. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dead: { type: 'boolean', default: false }, delivered: { type: 'boolean', default: false }, before: { type: 'string', default: '14d' } },
  });
  if (!values.dead && !values.delivered) throw new BadRequestError('say what to purge: --dead and/or --delivered');
  const before = parseWhen('--before', values.before);
  const n = await withStore((store) => store.purge({ before, dead: values.dead, delivered: values.delivered }));
  console.log(`${n} event${n === 1 ? '' : 's'} received before ${before.toISOString()} purged`);
  return 0;
}
