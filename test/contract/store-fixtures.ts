import { v7 as uuidv7 } from 'uuid';
import type { AttemptRecord, PlannedDelivery } from '../../src/domain/delivery.js';
import type { RelayEvent } from '../../src/domain/event.js';

/** Every contract test runs on this fixed timeline, never on the wall clock. */
export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const at = (offsetMs: number): Date => new Date(T0 + offsetMs);
export const iso = (offsetMs: number): string => at(offsetMs).toISOString();

export const DAY = 24 * 3600_000;

/** A body that is not valid UTF-8 (and has a NUL): stored raw bytes must come back identical. */
export const NON_UTF8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x22, 0x7d]);

let n = 0;

export function makeEvent(over: Partial<RelayEvent> = {}): RelayEvent {
  n += 1;
  const body = { type: 'recording', app_id: 'app-1', room_id: `room-${n}`, conf_num: `conf-${n}`, trans_date: 1740823200, recording: [`https://files.example/${n}.mp4`] };
  return {
    id: uuidv7(),
    type: 'recording',
    appId: 'app-1',
    roomId: body.room_id,
    confNum: body.conf_num,
    occurredAt: '2025-03-01T09:59:00.000Z',
    receivedAt: iso(0),
    files: [{ url: body.recording[0]! }],
    body,
    raw: Buffer.from(JSON.stringify(body)),
    contentType: 'application/json',
    dedupeKey: `key-${n}-${uuidv7()}`,
    ...over,
  };
}

export function planned(destination: string, over: Partial<PlannedDelivery> = {}): PlannedDelivery {
  return { id: uuidv7(), destination, route: 'route-1', orderKey: null, ...over };
}

export function attemptOf(outcome: AttemptRecord['outcome'], over: Partial<AttemptRecord> = {}): AttemptRecord {
  const statusCode = outcome === 'success' ? 200 : outcome === 'retry' ? 503 : 404;
  return { startedAt: iso(0), durationMs: 12, outcome, statusCode, error: outcome === 'success' ? null : `http_${statusCode}`, ...over };
}

/** Resolves to what `p` rejected with; fails the test if it resolved. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, it resolved');
}
