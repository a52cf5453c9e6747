import { parseArgs } from 'node:util';
import { parseStatus } from './parse-status.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';
import { formatTable } from './format-table.js';

/** `enx-relay events`: recent events, one line per delivery. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
    },
  });
  // Checked: a mistyped status would otherwise read as "no events".
  const status = parseStatus(values.status);
  const events = await withStore((store) =>
    store.listEvents({
      limit: Number(values.limit) || 20,
      status,
      type: values.type,
      since: values.since ? parseWhen('--since', values.since) : undefined,
    }),
  );
  if (values.json) {
    console.log(JSON.stringify(events, null, 2));
    return 0;
  }
  if (events.length === 0) {
    console.log('no events');
    return 0;
  }
  const rows: string[][] = [];
  for (const e of events) {
    const head = [e.receivedAt.replace('T', ' ').slice(0, 19), e.id, e.type, `${e.roomId}/${e.confNum}`];
    if (e.deliveries.length === 0) rows.push([...head, '(unrouted)', '', '', '']);
    e.deliveries.forEach((d, i) => {
      rows.push([...(i === 0 ? head : ['', '', '', '']), d.destination, d.status, String(d.attempts), (d.lastError ?? '').slice(0, 60)]);
    });
  }
  console.log(formatTable(['received', 'event', 'type', 'room/conf', 'destination', 'status', 'tries', 'last error'], rows));
  return 0;
}
