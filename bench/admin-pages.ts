/**
 * The admin API's reads (the dashboard's pages) on a store of N events: each figure is the
 * median time of one call, first page and a deep page, with each filter. They must not grow
 * with N (index-driven, bounded windows): run with --events 10000 and 100000 and compare.
 *
 *   node --import tsx bench/admin-pages.ts [--engine sqlite|postgres] [--events 100000] [--url postgres://...]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { HEALTH_CAP, type EventCursor, type EventPageQuery } from '../src/store/admin-types.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { ingestLoad } from './ingest-load.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    events: { type: 'string', default: '100000' },
    url: { type: 'string', default: process.env.RELAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    runs: { type: 'string', default: '15' },
  },
});
const n = Number(values.events);
const runs = Number(values.runs);

// Statuses and types spread over the events by SQL, so setting up 100k takes seconds, not a drain.
const SHAPE = {
  sqlite: [
    "UPDATE events SET type = CASE rowid % 100 WHEN 0 THEN 'file-transfer' WHEN 1 THEN 'transcoded' ELSE CASE rowid % 2 WHEN 0 THEN 'roomdrop' ELSE 'recording' END END",
    "UPDATE deliveries SET status = CASE WHEN seq % 100 = 7 THEN 'dead' WHEN seq % 100 = 9 THEN 'pending' ELSE 'delivered' END, last_error = CASE WHEN seq % 100 = 7 THEN 'gave up after 9 attempts: server: http_503' END",
  ],
  postgres: [
    "UPDATE events SET type = CASE WHEN right(id, 2) = '00' THEN 'file-transfer' WHEN right(id, 2) = '01' THEN 'transcoded' WHEN right(id, 1) < '8' THEN 'roomdrop' ELSE 'recording' END",
    "UPDATE deliveries SET status = CASE WHEN seq % 100 = 7 THEN 'dead' WHEN seq % 100 = 9 THEN 'pending' ELSE 'delivered' END, last_error = CASE WHEN seq % 100 = 7 THEN 'gave up after 9 attempts: server: http_503' END",
    'ANALYZE',
  ],
};

async function open(): Promise<{ store: Store; sql(text: string): Promise<void>; done(): Promise<void> }> {
  if (values.engine === 'postgres') {
    const schema = `enx_bench_${process.pid}`;
    const store = new PostgresStore(values.url, { schema, max: 8 });
    await store.migrate();
    const run = async (text: string): Promise<void> => {
      const c = new pg.Client({ connectionString: values.url, options: `-c search_path=${schema}` });
      await c.connect();
      await c.query(text).finally(() => c.end());
    };
    return { store, sql: run, done: async () => (await store.close(), await run(`DROP SCHEMA ${schema} CASCADE`)) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'enx-relay-bench-'));
  const store = new SqliteStore(join(dir, 'bench.db'));
  await store.migrate();
  const Database = (await import('better-sqlite3')).default;
  return {
    store,
    sql: async (text) => {
      const db = new Database(join(dir, 'bench.db'));
      db.exec(text);
      db.close();
    },
    done: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })),
  };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const { store, sql, done } = await open();
try {
  // PostgreSQL: as many clients as the pool has connections, or they wait past its connect timeout.
  const filled = await ingestLoad(store, { concurrency: values.engine === 'postgres' ? 8 : 256, durationMs: 600_000, maxEvents: n });
  for (const text of SHAPE[values.engine as 'sqlite' | 'postgres']) await sql(text);

  // A cursor half way down: the page after it must cost what the first does.
  let deep: EventCursor | undefined;
  for (let p = 0, cursor: EventCursor | undefined; p < Math.floor(n / 2 / 500); p++) cursor = deep = (await store.pageEvents({ limit: 500, before: cursor })).next ?? undefined;

  const cases: [string, () => Promise<unknown>][] = [];
  const page = (label: string, q: Omit<EventPageQuery, 'limit'>): void => {
    cases.push([`events ${label}`, () => store.pageEvents({ limit: 50, ...q })]);
    cases.push([`events ${label}, deep page`, () => store.pageEvents({ limit: 50, ...q, before: deep })]);
  };
  page('newest', {});
  page('type=file-transfer (1%)', { type: 'file-transfer' });
  page('room_id=room-7 (0.2%)', { roomId: 'room-7' });
  page('app_id', { appId: '64f0c3a1e2b4d5f6a7b8c9d0' });
  page('status=dead (2%)', { status: 'dead' });
  page('status=pending (no index: one budget window)', { status: 'pending' });
  cases.push(['dead letters, newest 50', () => store.pageDeadLetters({ limit: 50 })]);
  cases.push(['dead letters of one destination and reason', () => store.pageDeadLetters({ limit: 50, destination: 'archive', reason: 'server' })]);
  cases.push(['dead letter groups', () => store.deadLetterGroups({})]);
  cases.push(['destination health (2 destinations)', () => store.destinationHealth(['slack-ops', 'archive'])]);
  // The events ingested in the last minute, up to the cap: what the health strip counts under a flood.
  cases.push(['events in the last minute (the health strip, cap 10,000)', () => store.countEventsSince(new Date(Date.now() - 60_000), HEALTH_CAP)]);

  console.log(`# admin pages: ${values.engine}, ${filled.events} events (${filled.events * 2} deliveries)`);
  console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()} (${cpus()[0]?.model ?? '?'}), median of ${runs}\n`);
  console.log('| read | ms |');
  console.log('|---|---:|');
  for (const [label, fn] of cases) console.log(`| ${label} | ${(await median(fn)).toFixed(2)} |`);
} finally {
  await done();
}
