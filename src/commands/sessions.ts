import type { SessionSummary } from '../sessions/session-types.js';
import type { Store } from '../store/store.js';
import { escapeControlInJson } from '../logging/control-chars.js';
import { intOption, parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { fitMiddle, oneLine, outputWidth } from './fit-text.js';
import { formatTime } from './format-time.js';
import { withStore } from './with-store.js';

export const usage = `Usage: enx-relay sessions [--app A] [--room R] [--overdue] [--limit N] [--json]

Video sessions, the most recently active first: when their last event came (in this machine's
zone), how many events they have, when they ended, how many expectations are overdue, and the
session's key. \`enx-relay session KEY\` shows one session's timeline and record.

Options:
  --app A       only sessions of this EnableX app id
  --room R      only sessions of this room id
  --overdue     only sessions with an expectation overdue now
  --limit N     how many sessions (default 20, at most 500)
  --json        the sessions as JSON`;

/** Pages read at most for one listing: a rare filter may leave pages short, the listing stays bounded. */
const MAX_PAGES = 10;

/** `enx-relay sessions`: recent sessions, one line each. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: { app: { type: 'string' }, room: { type: 'string' }, overdue: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const limit = intOption('--limit', values.limit, 20, 1, 500);
  const { sessions, more } = await withStore((store) => readSessions(store, { limit, appId: values.app, roomId: values.room, overdue: values.overdue === true }));
  if (values.json) {
    // JSON leaves C1 controls and bidi overrides raw: written as \u escapes, the same values.
    console.log(escapeControlInJson(JSON.stringify(sessions, null, 2)));
    return EXIT.ok;
  }
  if (sessions.length === 0) console.log(more ? 'no sessions among the most recent ones read; more may match further back (a rarer filter reads more pages)' : 'no sessions');
  else console.log(listing(sessions, outputWidth()) + (more ? `\n(more match: --limit ${Math.min(500, limit * 2)} shows more)` : ''));
  return EXIT.ok;
}

/** Up to `limit` sessions by cursor pages, at most MAX_PAGES of them; `more`: some may be left. */
export async function readSessions(store: Store, q: { limit: number; appId?: string; roomId?: string; overdue: boolean }): Promise<{ sessions: SessionSummary[]; more: boolean }> {
  const sessions: SessionSummary[] = [];
  let before: Parameters<Store['pageSessions']>[0]['before'];
  for (let i = 0; i < MAX_PAGES && sessions.length < q.limit; i++) {
    const page = await store.pageSessions({ limit: q.limit - sessions.length, appId: q.appId, roomId: q.roomId, overdue: q.overdue || undefined, before });
    sessions.push(...page.items);
    if (!page.next) return { sessions, more: false };
    before = page.next;
  }
  return { sessions, more: true };
}

/** A header, then one line per session within `width`: the key (what `session KEY` takes) last, cut in the middle if it must be. */
export function listing(sessions: SessionSummary[], width: number): string {
  const rows = sessions.map((s) => [formatTime(s.lastAt), String(s.events), s.endedAt ? formatTime(s.endedAt) : 'not yet', s.overdue > 0 ? String(s.overdue) : '-', oneLine(s.key)] as const);
  const head = ['LAST EVENT', 'EVENTS', 'ENDED', 'OVERDUE', 'SESSION'] as const;
  const w = [0, 1, 2, 3].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => {
    const lead = `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padStart(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]!.padStart(w[3]!)}  `;
    return lead + fitMiddle(r[4]!, Math.max(16, width - lead.length));
  };
  return [line(head), ...rows.map(line)].join('\n');
}
