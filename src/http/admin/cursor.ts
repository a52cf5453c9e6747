import { parseSessionKey } from '../../sessions/session-key.js';
import type { SessionCursor } from '../../sessions/session-types.js';
import type { DeadLetterCursor, EventCursor } from '../../store/admin-types.js';
import { fieldError } from './query-params.js';

/**
 * Cursors travel as opaque base64url text: a client passes back the `nextCursor` it got and
 * builds none of its own. What comes back is checked field by field before a store sees it.
 */
export const encodeCursor = (c: EventCursor | DeadLetterCursor | SessionCursor | { id: number }): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

function decode(text: string, field: string, max = 400): Record<string, unknown> {
  let v: unknown;
  try {
    v = text.length <= max && /^[A-Za-z0-9_-]+$/.test(text) ? JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) : undefined;
  } catch {
    v = undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw fieldError(field, `${field} is not a cursor this API gave out`);
  return v as Record<string, unknown>;
}

const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;

export function eventCursor(text: string, field = 'cursor'): EventCursor {
  const v = decode(text, field);
  if (!isTime(v['receivedAt']) || !isId(v['id'])) throw fieldError(field, `${field} is not an events cursor`);
  return { receivedAt: v['receivedAt'], id: v['id'] };
}

export function deadLetterCursor(text: string, field = 'cursor'): DeadLetterCursor {
  const v = decode(text, field);
  if (!isTime(v['createdAt']) || !isId(v['eventId']) || !isId(v['deliveryId'])) throw fieldError(field, `${field} is not a dead-letters cursor`);
  return { createdAt: v['createdAt'], eventId: v['eventId'], deliveryId: v['deliveryId'] };
}

export function rejectedCursor(text: string, field = 'cursor'): number {
  const v = decode(text, field);
  if (!Number.isSafeInteger(v['id']) || (v['id'] as number) < 1) throw fieldError(field, `${field} is not a rejected-bodies cursor`);
  return v['id'] as number;
}

/** A session key may be long (three ids, percent-encoded): its cursor is allowed more. */
export function sessionCursor(text: string, field = 'cursor'): SessionCursor {
  const v = decode(text, field, 4000);
  if (!isTime(v['lastAt']) || typeof v['key'] !== 'string' || !isSessionKey(v['key'])) throw fieldError(field, `${field} is not a sessions cursor`);
  return { lastAt: v['lastAt'], key: v['key'] };
}

function isSessionKey(key: string): boolean {
  try {
    parseSessionKey(key);
    return true;
  } catch {
    return false;
  }
}
