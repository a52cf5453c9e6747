import { createHash } from 'node:crypto';
import type { RelayEvent } from '../../src/domain/event.js';
import { normalizeEvent } from '../../src/ingest/normalize.js';
import type { ExpectationSpec } from '../../src/sessions/expectation.js';
import { compileCondition } from '../../src/routing/match.js';

/** An EnableX body of one session, normalized as the intake would (fixed id, arrival and key). */
export function sessionEvent(body: Record<string, unknown>, receivedAt: Date, id?: string): RelayEvent {
  const full = { app_id: 'app-1', room_id: 'room-1', conf_num: 'conf-1', trans_date: 1740823200, ...body };
  const e = normalizeEvent(full, Buffer.from(JSON.stringify(full)), 'application/json', receivedAt);
  if (id) e.id = id;
  return e;
}

/** A stable id from a label, sortable like a UUIDv7 (tests compare records across runs). */
export const idOf = (label: string): string => {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export function expectation(name: string, after: string, then: string, withinMs: number, when: Record<string, unknown> = {}): ExpectationSpec {
  return {
    name,
    after,
    then,
    withinMs,
    when: Object.entries(when).map(([path, source]) => ({ path, source, test: compileCondition(source).test })),
    pos: { file: 'rules.yaml', line: 1, column: 1 },
  };
}
