/**
 * Ingest throughput of the PostgreSQL store: one transaction per event (the only mode; default
 * synchronous_commit, so each commit waits for its WAL flush). C clients each ingest one event
 * after another, as C concurrent webhook requests would, for a time cap or a count. Reports the
 * WAL flushes (pg_stat_wal.wal_sync, cluster-wide) per event, which shows concurrent commits
 * sharing one flush: PostgreSQL's own group commit.
 *
 *   node --import tsx bench/store-ingest-postgres.ts [--url postgres://...] [--duration-ms 2000] [--concurrency 1,16,64] [--pool 10]
 *   ... --sessions   (without vs with the session record, same run)
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { ingestLoad } from './ingest-load.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.RELAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'duration-ms': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1,16,64' },
    pool: { type: 'string', default: '10' },
    'max-events': { type: 'string', default: '50000' },
    sessions: { type: 'boolean', default: false },
  },
});
const url = values.url;
const durationMs = Number(values['duration-ms']);
const levels = values.concurrency.split(',').map(Number);
const poolMax = Number(values.pool);
const maxEvents = Number(values['max-events']);


async function sql<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text)).rows;
  } finally {
    await c.end();
  }
}

const walSyncs = async (): Promise<number> => Number((await sql<{ n: string }>('SELECT wal_sync AS n FROM pg_stat_wal'))[0]!.n);

async function run(concurrency: number, sessions = false): Promise<{ events: number; ms: number; perSecond: number; syncsPerEvent: number }> {
  const schema = `enx_bench_${uuidv7().replaceAll('-', '').slice(-12)}`;
  const store = new PostgresStore(url, { schema, max: poolMax });
  await store.migrate();
  const syncsBefore = await walSyncs();
  const { events, ms } = await ingestLoad(store, { concurrency, durationMs, maxEvents, sessions });
  const syncs = (await walSyncs()) - syncsBefore;
  await store.close();
  await sql(`DROP SCHEMA ${schema} CASCADE`);
  return { events, ms, perSecond: (events / ms) * 1000, syncsPerEvent: syncs / events };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const settings = await sql<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay') ORDER BY name");

if (values.sessions) {
  console.log('# store ingest: PostgreSQL, without vs with the session record (issue 11), alternating');
  console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()}, ${durationMs} ms per run, pool of ${poolMax}; with: a new session per event and one watch opened\n`);
  console.log('| clients | without (events/s) | with sessions (events/s) | with / without |');
  console.log('|---:|---:|---:|---:|');
  for (const c of levels) {
    const without = await run(c);
    const withSessions = await run(c, true);
    console.log(`| ${c} | ${fmt(without.perSecond)} | ${fmt(withSessions.perSecond)} | ${(withSessions.perSecond / without.perSecond).toFixed(2)} |`);
  }
  process.exit(0);
}

console.log('# store ingest: PostgreSQL, one transaction per event');
console.log(`date ${new Date().toISOString()}, node ${process.version}, nproc ${availableParallelism()} (${cpus()[0]?.model ?? '?'}), ${durationMs} ms per run, 2 deliveries per event, pool of ${poolMax}`);
console.log(`server: ${settings.map((s) => `${s.name}=${s.setting}`).join(', ')}\n`);
console.log('| clients | events/s | WAL flushes per event |');
console.log('|---:|---:|---:|');
for (const c of levels) {
  const r = await run(c);
  console.log(`| ${c} | ${fmt(r.perSecond)} (${r.events} in ${fmt(r.ms)} ms) | ${r.syncsPerEvent.toFixed(2)} |`);
}
