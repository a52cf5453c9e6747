import { describeDb } from '../config/describe-db.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay migrate [--json]

Creates the database named by RELAY_DB if there is none, and applies the migrations it has not
had yet; says which were applied (or that none were pending). \`serve\` does the same at start.

Options:
  --json    {database, applied} as JSON`;

/** `enx-relay migrate`: the one command besides `serve` that may create a database. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { options: { json: { type: 'boolean' } } });
  let applied: string[] = [];
  const database = await withStore(
    async (store, settings) => {
      await store.ping();
      return describeDb(settings.db);
    },
    { create: true, migrated: (names) => (applied = names) },
  );
  if (values.json) console.log(JSON.stringify({ database, applied }));
  else if (applied.length === 0) console.log(`${database}: up to date, no migration pending`);
  else console.log(`${database}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}`);
  return EXIT.ok;
}
