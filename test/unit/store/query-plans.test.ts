import { expect } from 'chai';
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import * as sqClaim from '../../../src/store/sqlite/claim.js';
import * as sqComplete from '../../../src/store/sqlite/complete.js';
import * as sqIngest from '../../../src/store/sqlite/ingest.js';
import { migrate as migrateSqlite } from '../../../src/store/sqlite/migrate.js';
import * as sqPurge from '../../../src/store/sqlite/purge.js';
import * as sqQueries from '../../../src/store/sqlite/queries.js';
import * as sqReplay from '../../../src/store/sqlite/replay.js';
import * as sqRejected from '../../../src/store/sqlite/rejected.js';
import * as sqState from '../../../src/store/sqlite/state.js';
import * as sqHealth from '../../../src/store/sqlite/destination-health.js';
import * as pgHealth from '../../../src/store/postgres/destination-health.js';
import * as sqSessions from '../../../src/store/sqlite/sessions.js';
import * as pgSessions from '../../../src/store/postgres/sessions.js';
import type { SessionPageQuery } from '../../../src/sessions/session-types.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import * as pgClaim from '../../../src/store/postgres/claim.js';
import * as pgComplete from '../../../src/store/postgres/complete.js';
import { INGEST as PG_INGEST, INGEST_WITH_SESSION as PG_INGEST_WITH_SESSION } from '../../../src/store/postgres/ingest.js';
import * as pgMaint from '../../../src/store/postgres/maintenance.js';
import * as pgPurge from '../../../src/store/postgres/purge.js';
import * as pgQueries from '../../../src/store/postgres/queries.js';
import * as pgReplay from '../../../src/store/postgres/replay.js';
import { RECORD_REJECTED as PG_RECORD_REJECTED } from '../../../src/store/postgres/rejected.js';
import * as pgState from '../../../src/store/postgres/state.js';
import { pgSchema, type PgSchema } from '../../support/pg-schema.js';
import { tempDir } from '../../support/temp-dir.js';

// "Work grows with what is done, not with what is stored": every statement on the paths of
// ingest, claim, completion, replay, purge and the metrics reads its rows through an index.
// A full scan of a table that grows with traffic (of the table, or of a whole index of it) fails the test.
// Scanning a partial index that holds only what the statement is about is allowed: the dead
// letters (deliveries_dead) for a replay of the dead ones.
// So are the watchdog's timers (session_watches_due, _late: only the watches due or late) and
// the overdue sessions (sessions_overdue_last).
const PARTIAL_OK = /USING (COVERING )?INDEX (deliveries_dead|session_watches_due|session_watches_late|sessions_overdue_last)\b/;
// A walk of an index in its order under a LIMIT reads what the page shows: SQLite's plan does not
// show the LIMIT (PostgreSQL's does), so the one listing that does it is named here.
const SQLITE_ORDERED_OK = /^SCAN sessions USING COVERING INDEX sessions_last$/;
// The tables that grow with traffic (delivery_counts holds a few rows per destination: it may be read whole).
// destination_health grows with destinations, not traffic, but is held to its primary key as well.
const GROWING = /^(deliveries|events|attempts|rejected|state|order_queues|dedupe_keys|destination_health|sessions|session_events|session_watches)$/;
const GROWING_INDEX = /^(deliveries|events|attempts|rejected|state|order_queues|dedupe_keys|destination_health|sessions|session_events|session_watches)_/;
const SQLITE_SCAN = /\bSCAN (deliveries|events|attempts|rejected|state|destination_health|sessions|session_events|session_watches|d|e|ev|s)\b/;

const t = Date.parse('2026-01-01T00:00:00Z');
const eventParams = { id: 'e', type: 'recording', app_id: 'a', room_id: 'r', conf_num: 'c', occurred_at: t, received_at: t, body: '{}', raw: Buffer.from('{}'), content_type: null, dedupe_key: 'k', files: '[]', stage: null, file_size: null, destination: null };
const finishParams = { id: 'd', status: 'delivered', now: t, next: null, error: null, attempt: 1, claim: 1 };
const sessionPages: SessionPageQuery[] = [
  { limit: 50 },
  { limit: 50, before: { lastAt: new Date(t).toISOString(), key: 'k' } },
  { limit: 50, appId: 'a' },
  { limit: 50, roomId: 'r', appId: 'a' },
  { limit: 50, overdue: true },
  { limit: 50, appId: 'a', overdue: true },
];
const touchParams = { key: 'k', fact_key: 'f', event_id: 'e', at: t, type: 'recording', facts: '{}' };
const replayVariants = [{ status: 'dead' as const }, { status: 'dead' as const, destination: 'x' }, { eventId: 'e' }, { status: 'dead' as const, since: new Date(t) }];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * Scans of deliveries or events that read the whole table or a whole index of it: a Seq Scan, or
 * an index scan with no condition, unless a Limit above it stops it after a few rows (min() of an
 * index) or it walks a partial index that holds only what the statement is about.
 */
function fullScans(node: PlanNode, limited = false): string[] {
  const here = node['Node Type'];
  const onTable = GROWING.test(node['Relation Name'] ?? '');
  // Bitmap index scans name only their index: the tables' indexes all start with their names.
  const onIndex = GROWING_INDEX.test(node['Index Name'] ?? '');
  const found: string[] = [];
  if (onTable && here === 'Seq Scan') found.push(`${here} on ${node['Relation Name']}`);
  if (onIndex && !node['Index Cond'] && !limited && !PARTIAL_OK.test(`USING INDEX ${node['Index Name']}`)) found.push(`${here} using ${node['Index Name']} without a condition`);
  for (const child of node.Plans ?? []) found.push(...fullScans(child, limited || here === 'Limit'));
  return found;
}

const sqliteStatements: [string, string, unknown][] = [
  ['ingest: duplicate?', sqIngest.FIRST_DUPLICATE, ['k', t]],
  ['ingest: event', sqIngest.INSERT_EVENT, eventParams],
  ['ingest: delivery', sqIngest.INSERT_DELIVERY, ['d', 'e', 'x', 'r', null, t, t, t, t]],
  ['ingest: order key open?', sqIngest.KEY_HAS_OPEN, ['k']],
  ['claim: destinations', sqClaim.CLAIMABLE_DESTINATIONS, []],
  ['claim: due of a destination', sqClaim.DUE_OF_DESTINATION, { destination: 'x', now: t, limit: 10 }],
  ['claim: mark', sqClaim.MARK, { lease: t, now: t, seq: 1 }],
  ['claim: event', sqClaim.EVENT, ['e']],
  ['complete: finish', sqComplete.FINISH, finishParams],
  ['complete: record attempt', sqComplete.RECORD, ['d', 1, t, 1, 'success', 200, null]],
  ['complete: next of key', sqComplete.NEXT_OF_KEY, ['k']],
  ['complete: promote', sqComplete.PROMOTE, [t, 1]],
  ['complete: extend lease', sqComplete.EXTEND, { until: t, now: t, id: 'd', claim: 1 }],
  ['complete: defer', sqComplete.DEFER, [t, t, t, 'd', 1]],
  ['worker: next due', sqQueries.NEXT_DUE, { after: t }],
  ['metrics: counts', sqQueries.COUNTS, []],
  ['metrics: oldest open', sqQueries.OLDEST_OPEN, ['x']],
  ...replayVariants.map((v): [string, string, unknown] => [`replay: batch ${JSON.stringify(v)}`, `SELECT d.seq, d.status, d.order_key ${sqReplay.replayMatch(v)} AND d.seq > @after ORDER BY d.seq LIMIT 500`, { ...sqReplay.replayParams(v), after: 0 }]),
  ['replay: reset', sqReplay.REPLAY_RESET, { seq: 1, now: t }],
  ['replay: key head', sqReplay.KEY_HEAD, ['k']],
  ['replay: key first open', sqReplay.KEY_FIRST_OPEN, ['k']],
  ['replay: demote', sqReplay.DEMOTE, [t, 1]],
  ['purge: candidates', sqPurge.PURGE_CANDIDATES, { before: t, afterAt: -1, afterId: '' }],
  ['purge: one', sqPurge.PURGE_ONE, { id: 'e', delivered: 1, dead: 0 }],
  ['retention: state', sqState.PURGE_STATE, [t]],
  // Each Slack or email send reads and writes its thread's state; each refused body is kept.
  ['send: thread state', sqState.GET_STATE, ['k']],
  ['send: thread state if absent', sqState.PUT_STATE_IF_ABSENT, ['k', 'v', t]],
  ['send: set thread state', sqState.SET_STATE, ['k', 'v', t]],
  ['intake: keep a rejected body', sqRejected.INSERT_REJECTED, [t, 'c', 'r', Buffer.from('x'), null, null]],
  ['intake: drop the oldest rejected', sqRejected.TRIM_REJECTED, [5000, 1000]],
  // The health watch, once per interval: a few rows by primary key.
  ['health: observe', sqHealth.OBSERVE_HEALTH, { destination: 'x', success: t, failure: t, errors: '[]' }],
  ['health: record', sqHealth.GET_HEALTH, ['x']],
  ['health: failing', sqHealth.SET_FAILING, { destination: 'x', episode: 0, at: t }],
  ['health: recovered', sqHealth.SET_RECOVERED, { destination: 'x', episode: 0, at: t }],
  ['health: announced', sqHealth.SET_ANNOUNCED, { destination: 'x', episode: 0, state: 'ok' }],
  ['ingest: session event', sqSessions.INSERT_SESSION_EVENT, touchParams],
  ['ingest: session event again', sqSessions.REPEAT_SESSION_EVENT, { key: 'k', fact_key: 'f', event_id: 'e', at: t }],
  ['ingest: session', sqSessions.UPSERT_SESSION, { key: 'k', app_id: 'a', room_id: 'r', conf_num: 'c', at: t, ended_at: null, added: 1 }],
  ['ingest: watches satisfied', sqSessions.SATISFY_WATCHES, { key: 'k', type: 'recording', at: t }],
  ['ingest: session overdue count', sqSessions.LESS_OVERDUE, { key: 'k', n: 1 }],
  ['ingest: open a watch', sqSessions.OPEN_WATCH, { key: 'k', name: 'n', after_type: 'roomdrop', then_type: 'recording', at: t, due_at: t }],
  ['sessions: one', sqSessions.GET_SESSION, ['k']],
  ['sessions: its events', sqSessions.SESSION_EVENTS, ['k', 10]],
  ['sessions: its watches', sqSessions.SESSION_WATCHES, ['k']],
  ...sessionPages.flatMap((q): [string, string, unknown][] => {
    const s = sqSessions.sessionPageSql(q);
    return [[`sessions: page ${JSON.stringify(q)}`, s.sql, s.params], ...(s.endSql ? [[`sessions: page end ${JSON.stringify(q)}`, s.endSql, s.params] as [string, string, unknown]] : [])];
  }),
  ['watchdog: due watches', sqSessions.DUE_WATCHES, { now: t, limit: 100 }],
  ['watchdog: mark', sqSessions.MARK_WATCH, { key: 'k', name: 'n', from: 'waiting', to: 'overdue', now: t, due: null }],
  ['watchdog: overdue count', sqSessions.MORE_OVERDUE, { key: 'k', n: 1 }],
  ['retention: idle sessions', sqSessions.IDLE_SESSIONS, { before: t, limit: 200 }],
  ['retention: a session', sqSessions.DELETE_SESSION, ['k']],
  ['retention: its events', sqSessions.DELETE_SESSION_EVENTS, ['k']],
  ['retention: its watches', sqSessions.DELETE_SESSION_WATCHES, ['k']],
];

describe('query plans: nothing on a hot path scans deliveries or events', () => {
  describe('SQLite (EXPLAIN QUERY PLAN)', () => {
    const tmp = tempDir();
    const db = new Database(join(tmp.dir, 'plans.db'));
    migrateSqlite(db);
    after(() => {
      db.close();
      tmp.cleanup();
    });
    const scansOf = (sql: string, params: unknown): { scans: string[]; plan: string[] } => {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params as never) as { detail: string }[]).map((r) => r.detail);
      return { plan, scans: plan.filter((line) => SQLITE_SCAN.test(line) && !PARTIAL_OK.test(line) && !SQLITE_ORDERED_OK.test(line)) };
    };
    it('(the check itself) reports a statement that has no index to use', () => {
      expect(scansOf('SELECT * FROM deliveries WHERE last_error = ?', ['x']).scans).to.have.length(1);
      expect(scansOf('SELECT count(*) FROM deliveries WHERE due_at IS NOT NULL', []).scans).to.have.length(1);
    });
    for (const [name, sql, params] of sqliteStatements) {
      it(name, () => {
        const { scans, plan } = scansOf(sql, params);
        expect(scans, `${sql}\n${plan.join('\n')}`).to.deep.equal([]);
      });
    }
  });

  describe('PostgreSQL (EXPLAIN, sequential scans disabled: one that stays has no index to use)', function () {
    let schema: PgSchema;
    const now = new Date(t);
    const arr = (n: number, v: unknown): unknown[][] => Array.from({ length: n }, () => [v]);
    const pgStatements = (): [string, string, unknown[]][] => [
      ['ingest', PG_INGEST, [...['e', 'recording', 'a', 'r', 'c', now, now, '{}', Buffer.from('{}'), null, 'k', '[]', null, null, null], ['d'], ['x'], ['r'], [null], now, 'ch', '', now, 1]],
      ['claim', pgClaim.CLAIM, [now, '{}', 10, [], 1000, null]],
      ['complete: finish', pgComplete.FINISH, [...arr(11, null).map((a, i) => (i === 0 ? ['d'] : i === 1 ? ['delivered'] : i === 8 ? ['success'] : i === 6 ? [now] : a)), now, [null]]],
      ['complete: leave keys', pgComplete.LEAVE_KEYS, [['k']]],
      ['complete: promote', pgComplete.PROMOTE, [['k'], now]],
      ['complete: extend lease', pgComplete.EXTEND, ['d', now, 1, now, 0]],
      ['complete: defer', pgComplete.DEFER, ['d', now, 1, now, 0]],
      ['worker: next due', pgQueries.NEXT_DUE, [now, null]],
      ['metrics: counts', pgQueries.COUNTS, []],
      ['metrics: oldest open', pgQueries.OLDEST_OPEN, [['x']]],
      ...replayVariants.map((v): [string, string, unknown[]] => {
        const m = pgReplay.replayMatch(v);
        return [`replay: batch ${JSON.stringify(v)}`, pgReplay.replayReset(m.sql, m.values.length), [...m.values, '0', now]];
      }),
      ['replay: reopen keys', pgReplay.REOPEN_KEYS, [['k']]],
      ['replay: heads step back', pgReplay.STEP_BACK, [['k'], now]],
      ['purge: batch', pgPurge.PURGE_DELETE, [now, null, '', true, false]],
      ['purge: dedupe keys', pgMaint.FORGET_DEDUPE, [now]],
      ['retention: state', pgState.PURGE_STATE, [now]],
      ['complete: forget idle keys', pgComplete.FORGET_KEYS, [['k']]],
      ['purge: fold counters', pgMaint.FOLD_COUNTS, []],
      ['send: thread state', pgState.GET_STATE, ['k']],
      ['send: thread state if absent', pgState.PUT_STATE_IF_ABSENT, ['k', 'v', now]],
      ['send: set thread state', pgState.SET_STATE, ['k', 'v', now]],
      ['intake: keep a rejected body', PG_RECORD_REJECTED, [now, 'c', 'r', Buffer.from('x'), null, null, 1000]],
      ['health: observe', pgHealth.OBSERVE_HEALTH, [['x'], [now], [now], ['[]']]],
      ['health: records', pgHealth.GET_HEALTH, [['x', 'y']]],
      ['health: failing', pgHealth.SET_FAILING, ['x', 0, now]],
      ['health: recovered', pgHealth.SET_RECOVERED, ['x', 0, now]],
      ['health: announced', pgHealth.SET_ANNOUNCED, ['x', 0, 'ok']],
      [
        'ingest with a session',
        PG_INGEST_WITH_SESSION,
        [...['e', 'recording', 'a', 'r', 'c', now, now, '{}', Buffer.from('{}'), null, 'k', '[]', null, null, null], ['d'], ['x'], ['r'], [null], now, 'ch', '', now, 1, 'a~r~c', '{}', null, ['n'], ['file-transfer'], [now], true],
      ],
      ['sessions: one', pgSessions.GET_SESSION, ['k']],
      ['sessions: its events', pgSessions.SESSION_EVENTS, ['k', 10]],
      ['sessions: its watches', pgSessions.SESSION_WATCHES, ['k']],
      ...sessionPages.flatMap((q): [string, string, unknown[]][] => {
        const s = pgSessions.sessionPageSql(q);
        return [[`sessions: page ${JSON.stringify(q)}`, s.sql, s.values], ...(s.end ? [[`sessions: page end ${JSON.stringify(q)}`, s.end.sql, s.end.values] as [string, string, unknown[]]] : [])];
      }),
      ['watchdog: due watches', pgSessions.DUE_WATCHES, [now, 100]],
      ['watchdog: mark', pgSessions.MARK_WATCH, ['k', 'n', 'waiting', 'overdue', now, 1, null]],
      ['retention: idle sessions', pgSessions.PURGE_SESSIONS, [now, 200]],
    ];

    before(async function () {
      schema = pgSchema();
      const store = new PostgresStore(schema.url, { schema: schema.schema });
      await store.migrate();
      await store.close();
    });
    after(async () => schema?.drop());

    const planOf = async (sql: string, params: unknown[]): Promise<PlanNode> => {
      const client = new pg.Client({ connectionString: schema.url, options: `-c search_path=${schema.schema}` });
      await client.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        return rows[0]!['QUERY PLAN'][0].Plan;
      } finally {
        await client.end();
      }
    };
    it('(the check itself) reports a statement that has no index to use', async () => {
      expect(fullScans(await planOf('SELECT * FROM deliveries WHERE last_error = $1', ['x']))).to.have.length(1);
      expect(fullScans(await planOf('SELECT count(*) FROM deliveries WHERE due_at IS NOT NULL', []))).to.have.length(1);
    });
    for (const [name, sql, params] of pgStatements()) {
      it(name, async () => {
        const plan = await planOf(sql, params);
        expect(fullScans(plan), `${sql}\n${JSON.stringify(plan, null, 1)}`).to.deep.equal([]);
      });
    }
  });
});
