import { parseArgs } from 'node:util';
import { withStore } from './with-store.js';

/** `enx-relay rejected`: what arrived but failed to parse or validate, newest first. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { limit: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } } });
  const rows = await withStore((store) => store.listRejected(Number(values.limit) || 20));
  if (values.json) {
    console.log(JSON.stringify(rows.map((r) => ({ ...r, raw: r.raw.toString('utf8') })), null, 2));
    return 0;
  }
  if (rows.length === 0) console.log('no rejected bodies');
  for (const r of rows) {
    console.log(`${r.receivedAt}  ${r.code}  ${r.reason}`);
    console.log(`  ${r.raw.toString('utf8').slice(0, 300).replace(/\s+/g, ' ')}`);
  }
  return 0;
}
