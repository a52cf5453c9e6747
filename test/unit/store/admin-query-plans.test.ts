import { expect } from 'chai';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { EventPageQuery, DeadLetterQuery } from '../../../src/store/admin-types.js';
import type { Db } from '../../../src/store/postgres/db.js';
import * as pgDead from '../../../src/store/postgres/dead-letters.js';
import * as pgHealth from '../../../src/store/postgres/health.js';
import { migrate as migratePg } from '../../../src/store/postgres/migrate.js';
import * as pgPage from '../../../src/store/postgres/page-events.js';
import { pageRejected as pgRejected } from '../../../src/store/postgres/rejected.js';
import * as liteDead from '../../../src/store/sqlite/dead-letters.js';
import * as liteHealth from '../../../src/store/sqlite/health.js';
import { migrate as migrateLite } from '../../../src/store/sqlite/migrate.js';
import * as litePage from '../../../src/store/sqlite/page-events.js';
import { pageRejected as liteRejected } from '../../../src/store/sqlite/rejected.js';
import { pgSchema } from '../../support/pg-schema.js';

const cursor = { receivedAt: '2025-03-01T10:00:00.000Z', id: '0195...' };
const deadCursor = { createdAt: cursor.receivedAt, eventId: 'e', deliveryId: 'd' };
const since = new Date('2025-03-01T00:00:00.000Z');
const until = new Date('2025-03-02T00:00:00.000Z');

/** Every filter shape the admin API can ask for, first and later pages. */
const EVENT_PAGES: EventPageQuery[] = [];
for (const f of [{}, { type: 'roomdrop' }, { appId: 'a' }, { roomId: 'r' }, { status: 'dead' as const }, { status: 'pending' as const }, { roomId: 'r', status: 'dead' as const, type: 't', appId: 'a' }]) {
  EVENT_PAGES.push({ limit: 50, ...f }, { limit: 50, ...f, before: cursor, since, until });
}
const DEAD_PAGES: DeadLetterQuery[] = [{ limit: 50 }, { limit: 50, destination: 'x', before: deadCursor }, { limit: 50, reason: 'server' }, { limit: 50, destination: 'x', reason: 'client', before: deadCursor }];

/**
 * Each admin read, explained by the engine: none may read all of `events` or `deliveries` (a
 * walk of an index in its order, cut by LIMIT, is what a page is). The engines run the very
 * statements the admin API runs, recorded as they are prepared.
 */
describe('admin reads: query plans', () => {
  it('SQLite: every statement searches or walks an index, never scans a table', () => {
    const db = new Database(':memory:');
    migrateLite(db);
    const seen = new Set<string>();
    const prepare = db.prepare.bind(db);
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => (seen.add(sql), prepare(sql));
    for (const q of EVENT_PAGES) litePage.pageEvents(db, q);
    for (const q of DEAD_PAGES) liteDead.pageDeadLetters(db, q);
    liteDead.deadLetterGroups(db, {});
    liteDead.deadLetterGroups(db, { destination: 'x' });
    liteHealth.countEventsSince(db, since, 10);
    liteRejected(db, { limit: 5, before: 9 });
    const every = { room: 'r', type: 't', app: 'a', status: 'dead', since: 0, until: 1, ct: 0, cid: 'c', budget: 10, limit: 5, destination: 'x', reason: 'client', ce: 'e', cd: 'd', cap: 10, d: 'x' };
    expect(seen.size).to.be.at.least(20);
    for (const sql of seen) {
      const stmt = prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const positional = (sql.match(/\?/g) ?? []).length;
      const plan = (positional ? stmt.all(...Array(positional).fill('[]')) : stmt.all(every)) as { detail: string }[];
      // "SCAN x" without an index is a full scan; subqueries (w, subquery-n) are this query's own rows.
      const scans = plan.map((p) => p.detail).filter((d) => /^SCAN (events|deliveries|rejected|ev|d|s)\b/.test(d) && !/USING (COVERING )?INDEX|PRIMARY KEY/.test(d));
      expect(scans, `${sql}\n${plan.map((p) => p.detail).join('\n')}`).to.deep.equal([]);
    }
    db.close();
  });

  it('PostgreSQL: no sequential scan of events or deliveries (enable_seqscan off: an index path must exist)', async function () {
    const schema = pgSchema();
    const pool = new pg.Pool({ connectionString: schema.url, options: `-c search_path=${schema.schema}`, max: 1 });
    try {
      await migratePg(pool, undefined, schema.schema);
      const seen: [string, unknown[]][] = [];
      const db: Db = {
        query: (q, values) => {
          const text = typeof q === 'string' ? q : q.text;
          seen.push([text, values ?? []]);
          return pool.query(text, values);
        },
      };
      for (const q of EVENT_PAGES) await pgPage.pageEvents(db, q);
      for (const q of DEAD_PAGES) await pgDead.pageDeadLetters(db, q);
      await pgDead.deadLetterGroups(db, {});
      await pgDead.deadLetterGroups(db, { destination: 'x' });
      await pgHealth.countEventsSince(db, since, 10);
      await pgRejected(db, { limit: 5, before: 9 });
      expect(seen.length).to.be.at.least(20);
      const client = await pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        for (const [text, values] of seen) {
          const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
          const scanned = seqScans(rows[0]!['QUERY PLAN']);
          expect(scanned, text).to.deep.equal([]);
        }
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
      await schema.drop();
    }
  });
});

/** Relations read by a Seq Scan anywhere in an EXPLAIN (FORMAT JSON) plan. */
function seqScans(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(seqScans);
  if (plan === null || typeof plan !== 'object') return [];
  const node = plan as Record<string, unknown>;
  const own = node['Node Type'] === 'Seq Scan' ? [String(node['Relation Name'])] : [];
  return [...own, ...Object.values(node).flatMap(seqScans)];
}
