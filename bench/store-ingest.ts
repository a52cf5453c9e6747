/**
 * Ingest throughput of the SQLite store, group commit vs one transaction per event, on a temp
 * file with synchronous=FULL (every commit is an fsync). C clients each ingest one event after
 * another, as C concurrent webhook requests would; each run stops after a count or a time cap.
 *
 *   node --import tsx bench/store-ingest.ts [--duration-ms 2000] [--concurrency 1,16,64,256]
 *   node --import tsx bench/store-ingest.ts --sessions   (group commit, without vs with the session record, same run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ingestLoad } from './ingest-load.js';

const { values } = parseArgs({
  options: {
    'duration-ms': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1,16,64,256' },
    'max-events': { type: 'string', default: '50000' },
    sessions: { type: 'boolean', default: false },
  },
});
const durationMs = Number(values['duration-ms']);
const levels = values.concurrency.split(',').map(Number);
const maxEvents = Number(values['max-events']);

interface Run {
  events: number;
  ms: number;
  perSecond: number;
}

async function run(groupCommit: boolean, concurrency: number, sessions = false): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'enx-relay-bench-'));
  const store = new SqliteStore(join(dir, 'bench.db'), { groupCommit });
  await store.migrate();
  const { events, ms } = await ingestLoad(store, { concurrency, durationMs, maxEvents, sessions });
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { events, ms, perSecond: (events / ms) * 1000 };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

if (values.sessions) {
  console.log('# store ingest: group commit, without vs with the session record (issue 11), alternating');
  console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()} (${cpus()[0]?.model ?? '?'}), ${durationMs} ms per run, 2 deliveries per event; with: a new session per event and one watch opened\n`);
  console.log('| clients | without (events/s) | with sessions (events/s) | with / without |');
  console.log('|---:|---:|---:|---:|');
  for (const c of levels) {
    const without = await run(true, c);
    const withSessions = await run(true, c, true);
    console.log(`| ${c} | ${fmt(without.perSecond)} | ${fmt(withSessions.perSecond)} | ${(withSessions.perSecond / without.perSecond).toFixed(2)} |`);
  }
  process.exit(0);
}

console.log(`# store ingest: group commit vs one transaction per event`);
console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()} (${cpus()[0]?.model ?? '?'}), ${durationMs} ms per run, 2 deliveries per event\n`);
console.log('| clients | one tx per event (events/s) | group commit (events/s) | ratio |');
console.log('|---:|---:|---:|---:|');
for (const c of levels) {
  const single = await run(false, c);
  const group = await run(true, c);
  console.log(`| ${c} | ${fmt(single.perSecond)} (${single.events} in ${fmt(single.ms)} ms) | ${fmt(group.perSecond)} (${group.events} in ${fmt(group.ms)} ms) | ${(group.perSecond / single.perSecond).toFixed(1)}x |`);
}
