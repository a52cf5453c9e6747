import { transferTarget } from '../delivery/messages/transfer-target.js';
import { escapeControl, escapeControlInJson } from '../logging/control-chars.js';
import { parseSessionKey, SessionKeyError } from '../sessions/session-key.js';
import type { SessionRecord, SessionWatch } from '../sessions/session-types.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';
import { oneLine } from './fit-text.js';
import { formatTime } from './format-time.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay session <key> [--json]

One video session, as GET /admin/sessions/:key shows it: every event of it in the order they
arrived (time, type, event id), then its record: when it ended, its recordings, transcoded
stages with their sizes, transfers with their destinations, mirrored copies, events of unknown
types, and each expectation with its state. The key is what \`enx-relay sessions\` lists
(app~room~conf, each part percent-encoded). Exit 1 if no session has that key, 2 if it is not a key.

Options:
  --json    the record as JSON, as the admin API answers`;

/** `enx-relay session KEY`: the timeline and the record of one session. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: { json: { type: 'boolean' } }, positionals: { max: 1, what: 'one session key' } });
  const key = positionals[0];
  if (!key) throw new UsageError('which session? give its key (enx-relay sessions lists them)');
  try {
    parseSessionKey(key);
  } catch (err) {
    if (err instanceof SessionKeyError) throw new UsageError(`"${escapeControl(key)}" is ${err.message}`);
    throw err;
  }
  const record = await withStore((store) => store.getSession(key));
  if (!record) throw new CommandFailure(`no session with key "${escapeControl(key)}" (enx-relay sessions lists recent ones)`);
  // JSON leaves C1 controls and bidi overrides raw: written as \u escapes, the same values.
  console.log(values.json ? escapeControlInJson(JSON.stringify({ session: record }, null, 2)) : describeSession(record).join('\n'));
  return EXIT.ok;
}

const t = (s: string | null | undefined): string => oneLine(s ?? '');
const size = (n: number | null): string => (n === null ? 'size unknown' : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`);

/** The session's lines: every value from an event passes through oneLine (controls escaped). */
export function describeSession(r: SessionRecord): string[] {
  const typeWidth = Math.max(4, ...r.events.map((e) => t(e.type).length));
  const lines = [
    `session ${t(r.key)}`,
    `  app ${t(r.appId)}, room ${t(r.roomId)}, conf ${t(r.confNum)}`,
    `  ended     ${r.endedAt ? formatTime(r.endedAt) : 'not yet (no roomdrop)'}`,
    `  first     ${formatTime(r.firstAt)}`,
    `  last      ${formatTime(r.lastAt)}`,
    '',
    `timeline (${r.events.length} event${r.events.length === 1 ? '' : 's'}, by arrival; enx-relay event ID shows one):`,
    ...r.events.map((e) => `  ${formatTime(e.receivedAt)}  ${t(e.type).padEnd(typeWidth)}  ${e.id}`),
  ];
  const section = (title: string, items: string[]): void => {
    lines.push('', `${title}:`, ...(items.length === 0 ? ['  none'] : items.map((i) => `  ${i}`)));
  };
  section(`recordings (${r.recordings.length})`, r.recordings.map((f) => `${t(f.name)}  ${t(f.url)}`));
  section(`transcoded (${r.transcoded.length})`, r.transcoded.map((x) => `stage ${x.stage ?? '?'}  ${t(x.name ?? '(no file)')}  ${size(x.sizeBytes)}`));
  section(
    `transfers (${r.transfers.length})`,
    r.transfers.map((x) => `to ${t(transferTarget(x.destination).label)}: ${x.files.length} file${x.files.length === 1 ? '' : 's'}${x.files.length ? ` (${x.files.map((f) => t(f.name)).join(', ')})` : ''}`),
  );
  section(
    `mirrored copies (${r.mirrored.length})`,
    r.mirrored.map((m) => `${t(m.destination ?? 'mirror')}  ${t(m.name)}  ${m.status}${m.location ? `  ${t(m.location)}` : ''}${m.sizeBytes === null ? '' : `  ${size(m.sizeBytes)}`}${m.reason ? `  (${t(m.reason)})` : ''}`),
  );
  section(`unknown types (${r.unknown.length})`, r.unknown.map((e) => `${formatTime(e.receivedAt)}  ${t(e.type)}  ${e.id}`));
  section(`expectations (${r.watches.length})`, r.watches.map(watchLine));
  return lines;
}

/** `recording after roomdrop: overdue since 2026-...` */
export function watchLine(w: SessionWatch): string {
  const what = `${t(w.name)}: ${t(w.thenType)} after ${t(w.afterType)} (${formatTime(w.afterAt)})`;
  switch (w.state) {
    case 'waiting':
      return `${what}: waiting, due ${formatTime(w.dueAt)}`;
    case 'overdue':
      return `${what}: overdue since ${formatTime(w.dueAt)}`;
    case 'late':
      return `${what}: came late, after ${formatTime(w.dueAt)}`;
    default:
      return `${what}: ${w.state} (${formatTime(w.updatedAt)})`;
  }
}
