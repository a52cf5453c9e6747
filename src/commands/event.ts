import { hasSession } from '../domain/event.js';
import { escapeControl, escapeControlInJson } from '../logging/control-chars.js';
import { formatSessionKey } from '../sessions/session-key.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { deliveryState } from './delivery-state.js';
import { EXIT } from './exit-codes.js';
import { formatTime } from './format-time.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay event <id> [--json]

One event, as GET /admin/events/:id shows it: its fields, the body EnableX sent, and every
delivery with every attempt (time, duration, outcome, status code, error). Exit 1 if there is
no event with that id.

Options:
  --json    {event, deliveries} with each delivery's attemptLog, as the admin API answers`;

/** `enx-relay event ID`: everything known about one event. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: { json: { type: 'boolean' } }, positionals: { max: 1, what: 'one event id' } });
  const id = positionals[0];
  if (!id) throw new UsageError('which event? give its id (enx-relay events lists them)');
  const found = await withStore(async (store) => {
    const event = await store.getEvent(id);
    if (!event) return null;
    const deliveries = await Promise.all((await store.listDeliveries(event.id)).map(async (d) => ({ ...d, attemptLog: await store.listAttempts(d.id) })));
    return { event, deliveries };
  });
  if (!found) throw new CommandFailure(`no event with id "${escapeControl(id)}" (enx-relay events lists recent ones)`);
  const { raw: _raw, ...event } = found.event;
  if (values.json) {
    console.log(JSON.stringify({ event, deliveries: found.deliveries }, null, 2));
    return EXIT.ok;
  }
  const e = found.event;
  const lines = [
    `event ${e.id}: ${escapeControl(e.type)}`,
    `  session   app ${escapeControl(e.appId)}, room ${escapeControl(e.roomId)}, conf ${escapeControl(e.confNum)}${hasSession(e) ? ` (enx-relay session ${formatSessionKey(e)})` : ''}`,
    `  occurred  ${formatTime(e.occurredAt)}`,
    `  received  ${formatTime(e.receivedAt)}`,
    ...e.files.map((f, i) => `  ${i === 0 ? 'files    ' : '         '} ${escapeControl(f.url)}`),
    '',
    '  body:',
    // JSON escapes C0 controls inside strings already; the rest (C1, separators) are escaped here.
    ...JSON.stringify(e.body, null, 2).split('\n').map((l) => `    ${escapeControlInJson(l)}`),
  ];
  if (found.deliveries.length === 0) lines.push('', '  no deliveries (unrouted: no route matched and no fallback)');
  for (const d of found.deliveries) {
    lines.push('', `  ${escapeControl(d.destination)} (${d.route === null ? 'fallback' : `route "${escapeControl(d.route)}"`}, delivery ${d.id})`, `    now: ${escapeControl(deliveryState(d))}`);
    // Numbered in order of time: a replay starts the schedule's count again, the log does not.
    d.attemptLog.forEach((a, i) => {
      const status = a.statusCode == null ? '' : ` ${a.statusCode}`;
      lines.push(`    ${i + 1}. ${formatTime(a.startedAt)}  ${a.durationMs} ms  ${a.outcome}${status}${a.error ? `  ${escapeControl(a.error)}` : ''}`);
    });
  }
  console.log(lines.join('\n'));
  return EXIT.ok;
}
