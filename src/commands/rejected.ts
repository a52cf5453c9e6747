import { escapeControl } from '../logging/control-chars.js';
import { intOption, parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { formatTime } from './format-time.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay rejected [--limit N] [--json]

Bodies that arrived with valid credentials but failed to parse or validate, newest first: when,
why, and the start of the body (kept: RELAY_REJECTED_KEEP, 1000 by default).

Options:
  --limit N   how many (default 20, at most 1000)
  --json      the full records as JSON (raw: the body as UTF-8 text)`;

/** `enx-relay rejected`: what arrived but failed to parse or validate, newest first. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { options: { limit: { type: 'string' }, json: { type: 'boolean' } } });
  const limit = intOption('--limit', values.limit, 20, 1, 1000);
  const rows = await withStore((store) => store.listRejected(limit));
  if (values.json) {
    console.log(JSON.stringify(rows.map((r) => ({ ...r, raw: r.raw.toString('utf8') })), null, 2));
    return EXIT.ok;
  }
  if (rows.length === 0) console.log('no rejected bodies');
  for (const r of rows) {
    // The body is whatever was sent: shown on one line, with nothing that could drive the terminal.
    console.log(`${formatTime(r.receivedAt)}  ${r.code}  ${escapeControl(r.reason)}`);
    console.log(`  ${escapeControl(r.raw.toString('utf8').slice(0, 300).replace(/\s+/g, ' '))}`);
  }
  return EXIT.ok;
}
