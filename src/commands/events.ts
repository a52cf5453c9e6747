import type { EventSummary } from '../store/store.js';
import { intOption, parseCommandArgs } from './args.js';
import { deliveryState } from './delivery-state.js';
import { EXIT } from './exit-codes.js';
import { fitMiddle, oneLine, outputWidth } from './fit-text.js';
import { formatTime } from './format-time.js';
import { parseStatus } from './parse-status.js';
import { parseWhen } from './parse-when.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay events [--status S] [--type T] [--since 2h|ISO] [--limit N] [--json]

Recent events, newest first: when each was received (in this machine's zone), its id, type and
session, then one line per delivery with its current state. Lines fit the terminal; a long
error keeps its start and its end. \`enx-relay event ID\` shows every attempt of one event.

Options:
  --status S    only events with a delivery in this status: pending, delivering, delivered, dead
  --type T      only events of this type (roomdrop, recording, ...)
  --since WHEN  only events received since: a duration (2h, 14d) or an ISO-8601 time
  --limit N     how many events (default 20, at most 500)
  --json        the events and their deliveries as JSON`;

/** `enx-relay events`: recent events, each with its deliveries' current state. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: { status: { type: 'string' }, type: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  // Checked first: a mistyped status would otherwise read as "no events" (a BadRequestError is a usage error here).
  const status = parseStatus(values.status);
  const since = values.since === undefined ? undefined : parseWhen('--since', values.since);
  const limit = intOption('--limit', values.limit, 20, 1, 500);
  const events = await withStore((store) => store.listEvents({ limit, status, type: values.type, since }));
  if (values.json) {
    console.log(JSON.stringify(events, null, 2));
    return EXIT.ok;
  }
  console.log(events.length === 0 ? 'no events' : listing(events, outputWidth()));
  return EXIT.ok;
}

/** An event line (received, id, type, session), then its deliveries indented below it, each line within `width`. */
export function listing(events: EventSummary[], width: number): string {
  const typeWidth = Math.max(4, ...events.map((e) => oneLine(e.type).length));
  const nameWidth = Math.max(...events.flatMap((e) => e.deliveries.map((d) => oneLine(d.destination).length)), 0);
  const lines: string[] = [];
  for (const e of events) {
    const head = `${formatTime(e.receivedAt)}  ${e.id}  ${oneLine(e.type).padEnd(typeWidth)}`;
    const session = oneLine(`${e.appId} / ${e.roomId} / ${e.confNum}`);
    // A narrow terminal gets the session on a line of its own rather than cut to nothing.
    if (width - head.length - 2 >= Math.min(session.length, 24)) lines.push(`${head}  ${fitMiddle(session, width - head.length - 2)}`);
    else lines.push(head.trimEnd(), `    session ${fitMiddle(session, Math.max(12, width - 12))}`);
    if (e.deliveries.length === 0) lines.push('    (unrouted: no route matched and no fallback)');
    for (const d of e.deliveries) {
      const lead = `    ${oneLine(d.destination).padEnd(nameWidth)}  `;
      lines.push(lead + fitMiddle(oneLine(deliveryState(d)), Math.max(20, width - lead.length)));
    }
  }
  return lines.join('\n');
}
