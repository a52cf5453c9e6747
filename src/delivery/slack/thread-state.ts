import type { SlackMessage } from './build-slack-message.js';

/**
 * A session's thread in one channel, kept in the store so that threads survive restarts: the
 * parent's ts and message (to redraw it with a new status line), the status line it shows now
 * (drawn from the session's record: the record, not this state, is what the line says) and the
 * messages already posted (so a delivery sent again after a crash does not post twice): event
 * ids, and a key per replay.
 */
export interface ThreadState {
  channel: string;
  ts: string;
  parent: SlackMessage;
  /** The status line the parent shows; absent in states written before it was kept. */
  line?: string;
  posted: string[];
}

/** Enough to recognise redeliveries; a session has a handful of events. */
const KEEP_POSTED = 500;

export function threadStateKey(destination: string, channel: string, session: string): string {
  return `slack:${destination}:${channel}:${session}`;
}

export function parseThreadState(raw: string | null): ThreadState | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<ThreadState>;
    if (typeof s.ts !== 'string' || typeof s.channel !== 'string') return null;
    return { channel: s.channel, ts: s.ts, parent: s.parent ?? { text: '' }, line: typeof s.line === 'string' ? s.line : undefined, posted: s.posted ?? [] };
  } catch {
    return null;
  }
}

export function serializeThreadState(s: ThreadState): string {
  return JSON.stringify({ ...s, posted: s.posted.slice(-KEEP_POSTED) });
}
