import { v7 as uuidv7 } from 'uuid';
import type { RelayEvent } from '../src/domain/event.js';
import type { Store } from '../src/store/store.js';
import { sessionTouch } from '../src/sessions/session-touch.js';
import type { ExpectationSpec } from '../src/sessions/expectation.js';

/** With `sessions`: each event touches its session (a new one each: the costliest case) and opens one watch. */
const EXPECTATIONS: ExpectationSpec[] = [{ name: 'files delivered', after: 'recording', then: 'file-transfer', withinMs: 6 * 3600_000, when: [], pos: { file: 'bench', line: 1, column: 1 } }];

/** The i-th distinct `recording` event of a benchmark (500 rooms, one conference each). */
export function benchEvent(i: number): RelayEvent {
  const body = {
    type: 'recording',
    app_id: '64f0c3a1e2b4d5f6a7b8c9d0',
    room_id: `room-${i % 500}`,
    conf_num: `conf-${i}`,
    trans_date: 1740823200 + i,
    recording: [`https://api.enablex.io/video/v2/archive/rooms/room-${i % 500}/recordings/${uuidv7()}.mp4`],
  };
  return {
    id: uuidv7(),
    type: 'recording',
    appId: body.app_id,
    roomId: body.room_id,
    confNum: body.conf_num,
    occurredAt: new Date(body.trans_date * 1000).toISOString(),
    receivedAt: new Date().toISOString(),
    files: body.recording.map((url) => ({ url })),
    body,
    raw: Buffer.from(JSON.stringify(body)),
    contentType: 'application/json',
    dedupeKey: `${i}-${uuidv7()}`,
  };
}

/**
 * `concurrency` clients each `await store.ingest(...)` one event (2 deliveries) after another,
 * as that many concurrent webhook requests would, until `durationMs` or `maxEvents`.
 */
export async function ingestLoad(store: Store, opts: { concurrency: number; durationMs: number; maxEvents: number; sessions?: boolean }): Promise<{ events: number; ms: number }> {
  const since = new Date(0);
  let next = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const client = async (): Promise<void> => {
    while (next < opts.maxEvents && performance.now() < deadline) {
      const e = benchEvent(next++);
      // As the webhook does: the touch is computed on this thread, before the store is asked.
      const session = opts.sessions ? sessionTouch(e, EXPECTATIONS) : null;
      await store.ingest(e, [{ id: uuidv7(), destination: 'slack-ops', route: 'r', orderKey: `${e.roomId}#ops` }, { id: uuidv7(), destination: 'archive', route: 'a', orderKey: null }], session ? { dedupeSince: since, session } : { dedupeSince: since });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  const ms = performance.now() - started;
  const stored = (await store.stats()).pending / 2;
  if (stored !== next) throw new Error(`stored ${stored} events, ingested ${next}`);
  return { events: next, ms };
}
