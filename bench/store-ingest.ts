/**
 * Ingest throughput of the SQLite store, group commit vs one transaction per event, on a temp
 * file with synchronous=FULL (every commit is an fsync). C clients each ingest one event after
 * another, as C concurrent webhook requests would; each run stops after a count or a time cap.
 *
 *   node --import tsx bench/store-ingest.ts [--duration-ms 2000] [--concurrency 1,16,64,256]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import type { RelayEvent } from '../src/domain/event.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

const { values } = parseArgs({
  options: {
    'duration-ms': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1,16,64,256' },
    'max-events': { type: 'string', default: '50000' },
  },
});
const durationMs = Number(values['duration-ms']);
const levels = values.concurrency.split(',').map(Number);
const maxEvents = Number(values['max-events']);

function event(i: number): RelayEvent {
  const body = {
    type: 'recording',
    app_id: '64f0c3a1e2b4d5f6a7b8c9d0',
    room_id: `room-${i % 500}`,
    conf_num: `conf-${i}`,
    trans_date: 1740823200 + i,
    recording: [`https://api.enablex.io/video/v2/archive/rooms/room-${i % 500}/recordings/${uuidv7()}.mp4`],
  };
  const raw = Buffer.from(JSON.stringify(body));
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
    raw,
    contentType: 'application/json',
    dedupeKey: `${i}-${uuidv7()}`,
  };
}

interface Run {
  events: number;
  ms: number;
  perSecond: number;
}

async function run(groupCommit: boolean, concurrency: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'enx-relay-bench-'));
  const store = new SqliteStore(join(dir, 'bench.db'), { groupCommit });
  await store.migrate();
  const since = new Date(0);
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async (): Promise<void> => {
    while (next < maxEvents && performance.now() < deadline) {
      const i = next++;
      const e = event(i);
      await store.ingest(e, [{ id: uuidv7(), destination: 'slack-ops', route: 'r', orderKey: `${e.roomId}#ops` }, { id: uuidv7(), destination: 'archive', route: 'a', orderKey: null }], { dedupeSince: since });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const ms = performance.now() - started;
  const stored = (await store.stats()).pending / 2;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (stored !== next) throw new Error(`stored ${stored} events, ingested ${next}`);
  return { events: next, ms, perSecond: (next / ms) * 1000 };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

console.log(`# store ingest: group commit vs one transaction per event`);
console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()} (${cpus()[0]?.model ?? '?'}), ${durationMs} ms per run, 2 deliveries per event\n`);
console.log('| clients | one tx per event (events/s) | group commit (events/s) | ratio |');
console.log('|---:|---:|---:|---:|');
for (const c of levels) {
  const single = await run(false, c);
  const group = await run(true, c);
  console.log(`| ${c} | ${fmt(single.perSecond)} (${single.events} in ${fmt(single.ms)} ms) | ${fmt(group.perSecond)} (${group.events} in ${fmt(group.ms)} ms) | ${(group.perSecond / single.perSecond).toFixed(1)}x |`);
}
