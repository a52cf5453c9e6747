import { SCAN_BUDGET, type Page } from '../admin-types.js';
import { foldSession, type SessionEventRow } from '../../sessions/fold-session.js';
import type { DueWatch, SessionCursor, SessionFacts, SessionPageQuery, SessionRecord, SessionSummary, SessionTouch, SessionWatch, WatchMark, WatchState } from '../../sessions/session-types.js';
import { named, noNul, type Db } from './db.js';
import { Params } from './page-events.js';
import { toDate } from './rows.js';

/** A session's contributions read at most: a session is tens of events; this only bounds a hostile one. */
export const SESSION_EVENTS_CAP = 5000;

/**
 * The session part of the ingest statement (ingest.ts), as CTEs after `fresh` (nothing is
 * written for a duplicate). $1 id, $2 type, $3..$5 the session's fields, $7 arrival, $11 the
 * dedupe key; $25 the session key, $26 the facts, $27 ended_at, $28..$30 the watches opened
 * (name, then type, due), in parallel arrays; $31 whether an expectation awaits this type.
 * - se: the body's contribution; the same body again keeps the smallest id and time (xmax = 0:
 *   inserted now, not updated).
 * - sw: this event is the `then` of these watches: met in time, late after the overdue.
 * - ss: the session's row, order-independent (least / greatest); one fewer overdue per late.
 * - wo: the watches opened, met at once if the `then` came first; an earlier `after` (arrived out
 *   of order) moves an open watch's start to it. All CTEs see the same snapshot, so sw never sees
 *   a watch wo opens (nor the reverse: one row is never written twice by the statement).
 */
export const SESSION_CTES = `
  , se AS (
    INSERT INTO session_events AS x (session_key, fact_key, event_id, type, received_at, facts)
    SELECT $25::text, $11::text, $1::text, $2::text, $7::timestamptz, $26::json FROM fresh
    ON CONFLICT (session_key, fact_key) DO UPDATE
      SET event_id = LEAST(x.event_id, EXCLUDED.event_id), received_at = LEAST(x.received_at, EXCLUDED.received_at)
    RETURNING (x.xmax = 0) AS inserted
  ), sw AS (
    UPDATE session_watches w SET state = CASE w.state WHEN 'waiting' THEN 'met' ELSE 'late' END, updated_at = $7::timestamptz
    FROM fresh WHERE $31::bool AND w.session_key = $25::text AND w.then_type = $2::text AND w.state IN ('waiting', 'overdue')
    RETURNING w.state
  ), ss AS (
    INSERT INTO sessions AS s (session_key, app_id, room_id, conf_num, first_at, last_at, ended_at, events, overdue)
    SELECT $25::text, $3::text, $4::text, $5::text, $7::timestamptz, $7::timestamptz, $27::timestamptz,
           (SELECT count(*) FROM se WHERE se.inserted)::int, 0 FROM fresh
    ON CONFLICT (session_key) DO UPDATE SET
      first_at = LEAST(s.first_at, EXCLUDED.first_at),
      last_at = CASE WHEN EXCLUDED.events > 0 THEN GREATEST(s.last_at, EXCLUDED.last_at) ELSE s.last_at END,
      ended_at = LEAST(s.ended_at, EXCLUDED.ended_at),
      events = s.events + EXCLUDED.events,
      overdue = GREATEST(0, s.overdue - (SELECT count(*) FROM sw WHERE sw.state = 'late'))
    RETURNING 1
  ), wo AS (
    INSERT INTO session_watches AS sw2 (session_key, name, after_type, then_type, after_at, due_at, state, updated_at)
    SELECT $25::text, o.name, $2::text, o.then_type, $7::timestamptz, o.due_at,
      CASE WHEN EXISTS (SELECT 1 FROM session_events e WHERE e.session_key = $25::text AND e.type = o.then_type) THEN 'met' ELSE 'waiting' END,
      $7::timestamptz
    FROM fresh, unnest($28::text[], $29::text[], $30::timestamptz[]) AS o (name, then_type, due_at)
    ON CONFLICT (session_key, name) DO UPDATE SET after_at = LEAST(sw2.after_at, EXCLUDED.after_at), due_at = LEAST(sw2.due_at, EXCLUDED.due_at)
      WHERE sw2.state IN ('waiting', 'met') AND EXCLUDED.after_at < sw2.after_at
    RETURNING 1
  )`;

/** $25..$31 of the ingest statement with a session touch. */
export function sessionValues(t: SessionTouch): unknown[] {
  const ended = t.facts.endedAt === undefined ? NaN : Date.parse(t.facts.endedAt);
  return [
    noNul(t.key),
    // json, not jsonb: it keeps what the text says (a lone surrogate, a \u0000) as SQLite does.
    JSON.stringify(t.facts),
    Number.isNaN(ended) ? null : new Date(ended),
    t.opens.map((o) => noNul(o.name)),
    t.opens.map((o) => noNul(o.thenType)),
    t.opens.map((o) => toDate(o.dueAt)),
    t.satisfies,
  ];
}

interface SessionRow {
  session_key: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  first_at: Date;
  last_at: Date;
  ended_at: Date | null;
  events: number;
  overdue: number;
}

interface WatchRow {
  session_key: string;
  name: string;
  after_type: string;
  then_type: string;
  after_at: Date;
  due_at: Date;
  state: WatchState;
  updated_at: Date;
}

const watchFromRow = (w: WatchRow): SessionWatch => ({
  name: w.name,
  afterType: w.after_type,
  thenType: w.then_type,
  afterAt: w.after_at.toISOString(),
  dueAt: w.due_at.toISOString(),
  state: w.state,
  updatedAt: w.updated_at.toISOString(),
});

const summaryFromRow = (s: SessionRow): SessionSummary => ({
  key: s.session_key,
  appId: s.app_id,
  roomId: s.room_id,
  confNum: s.conf_num,
  firstAt: s.first_at.toISOString(),
  lastAt: s.last_at.toISOString(),
  endedAt: s.ended_at?.toISOString() ?? null,
  events: s.events,
  overdue: s.overdue,
});

export const GET_SESSION = 'SELECT * FROM sessions WHERE session_key = $1';
// fact_key compared as bytes (COLLATE "C"), the order SQLite uses: both engines fold alike.
export const SESSION_EVENTS = 'SELECT event_id, type, received_at, fact_key, facts FROM session_events WHERE session_key = $1 ORDER BY fact_key COLLATE "C" LIMIT $2';
export const SESSION_WATCHES = 'SELECT * FROM session_watches WHERE session_key = $1 ORDER BY name COLLATE "C"';

export async function getSession(db: Db, key: string, cap = SESSION_EVENTS_CAP): Promise<SessionRecord | null> {
  const s = (await db.query<SessionRow>(GET_SESSION, [key])).rows[0];
  if (!s) return null;
  const [events, watches] = await Promise.all([
    db.query<{ event_id: string; type: string; received_at: Date; fact_key: string; facts: SessionFacts }>(SESSION_EVENTS, [key, cap]),
    db.query<WatchRow>(SESSION_WATCHES, [key]),
  ]);
  const rows = events.rows.map((r): SessionEventRow => ({ eventId: r.event_id, type: r.type, receivedAt: r.received_at.toISOString(), factKey: r.fact_key, facts: r.facts }));
  const whole = rows.length >= cap ? { firstAt: s.first_at.toISOString(), lastAt: s.last_at.toISOString(), endedAt: s.ended_at?.toISOString() ?? null } : undefined;
  return foldSession(key, { appId: s.app_id, roomId: s.room_id, confNum: s.conf_num }, rows, watches.rows.map(watchFromRow), whole);
}

/** Sessions newest first; see the SQLite engine for the shape. */
export async function pageSessions(db: Db, q: SessionPageQuery): Promise<Page<SessionSummary, SessionCursor>> {
  const { sql, values, limit, end } = sessionPageSql(q);
  const { rows } = await db.query<SessionRow>(sql, values);
  let next: SessionCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === limit) next = { lastAt: last.last_at.toISOString(), key: last.session_key };
  else if (end) {
    const found = await db.query<{ k: string; t: Date }>(end.sql, end.values);
    if (found.rows[0]) next = { lastAt: found.rows[0].t.toISOString(), key: found.rows[0].k };
  }
  return { items: rows.map(summaryFromRow), next };
}

/** The page's statement (and, with a second filter, the one that finds where its window ended). */
export function sessionPageSql(q: SessionPageQuery): { sql: string; values: unknown[]; limit: number; end: { sql: string; values: unknown[] } | null } {
  const p = new Params();
  const where: string[] = [];
  const covers = q.roomId !== undefined ? 'room' : q.appId !== undefined ? 'app' : q.overdue ? 'overdue' : null;
  if (covers === 'room') where.push(`room_id = ${p.add(noNul(q.roomId))}`);
  else if (covers === 'app') where.push(`app_id = ${p.add(noNul(q.appId))}`);
  else if (covers === 'overdue') where.push('overdue > 0');
  if (q.before) where.push(`(last_at, session_key) < (${p.add(toDate(q.before.lastAt), '::timestamptz')}, ${p.add(q.before.key, '::text')})`);
  const window = `SELECT session_key AS k, last_at AS t FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC, session_key DESC`;
  const windowValues = [...p.values];
  const filters: string[] = [];
  if (q.appId !== undefined && covers !== 'app') filters.push(`s.app_id = ${p.add(noNul(q.appId))}`);
  if (q.overdue && covers !== 'overdue') filters.push('s.overdue > 0');
  const limit = Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET));
  const windowLimit = p.add(filters.length ? SCAN_BUDGET : limit, '::int');
  const sql = `SELECT s.* FROM (${window} LIMIT ${windowLimit}) w JOIN sessions s ON s.session_key = w.k
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY w.t DESC, w.k DESC LIMIT ${p.add(limit, '::int')}`;
  const end = filters.length ? { sql: `${window} LIMIT 1 OFFSET $${windowValues.length + 1}::int - 1`, values: [...windowValues, SCAN_BUDGET] } : null;
  return { sql, values: p.values, limit, end };
}

// The watchdog's work, through its two partial indexes: waiting past due, earliest first; late.
// $1: now (null: the database's clock).
export const DUE_WATCHES = `
  SELECT w.*, s.app_id, s.room_id, s.conf_num,
    EXISTS (SELECT 1 FROM session_events e WHERE e.session_key = w.session_key AND e.type = w.then_type) AS then_seen,
    ARRAY(SELECT DISTINCT e.type COLLATE "C" FROM session_events e WHERE e.session_key = w.session_key ORDER BY 1) AS types
  FROM ((SELECT * FROM session_watches WHERE state = 'waiting' AND due_at <= coalesce($1::timestamptz, now()) ORDER BY due_at LIMIT $2)
        UNION ALL
        (SELECT * FROM session_watches WHERE state = 'late' ORDER BY updated_at LIMIT $2)) w
  JOIN sessions s ON s.session_key = w.session_key
  LIMIT $2`;

export async function dueWatches(db: Db, now: Date | null, limit: number): Promise<DueWatch[]> {
  const { rows } = await db.query<WatchRow & { app_id: string; room_id: string; conf_num: string; then_seen: boolean; types: string[] }>(named('enx_due_watches', DUE_WATCHES), [
    now,
    Math.max(0, Math.trunc(limit)),
  ]);
  return rows.map((r) => ({
    key: r.session_key,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    watch: watchFromRow(r),
    thenSeen: r.then_seen,
    typesSeen: r.types,
  }));
}

// One mark: the watch's transition and the session's overdue count, in one statement.
export const MARK_WATCH = `
  WITH w AS (
    UPDATE session_watches SET state = $4, updated_at = coalesce($5::timestamptz, now()), due_at = coalesce($7::timestamptz, due_at)
    WHERE session_key = $1 AND name = $2 AND state = $3
    RETURNING session_key
  ), s AS (
    UPDATE sessions SET overdue = GREATEST(0, overdue + $6::int) FROM w WHERE sessions.session_key = w.session_key AND $6::int <> 0
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM w`;

/** The marks in order, in the caller's transaction. Returns how many applied. */
export async function markWatches(db: Db, marks: WatchMark[], now: Date | null): Promise<number> {
  let applied = 0;
  for (const m of marks) {
    const n = Number(m.to === 'overdue') - Number(m.from === 'overdue');
    const { rows } = await db.query<{ n: number }>(named('enx_mark_watch', MARK_WATCH), [m.key, m.name, m.from, m.to, now, n, m.dueAt === undefined ? null : toDate(m.dueAt)]);
    applied += rows[0]!.n;
  }
  return applied;
}

export const SESSIONS_PURGE_BATCH = 200;
// Idle since before the cut, oldest first through sessions_last, with nothing left to announce;
// a session written meanwhile (locked) is left for the next pass.
export const PURGE_SESSIONS = `
  WITH idle AS (
    SELECT session_key FROM sessions s
    WHERE last_at < $1
      AND NOT EXISTS (SELECT 1 FROM session_watches w WHERE w.session_key = s.session_key AND w.state IN ('waiting', 'late'))
    ORDER BY last_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), k AS (
    SELECT ARRAY(SELECT session_key FROM idle) AS keys
  ), se AS (
    DELETE FROM session_events e USING k WHERE e.session_key = ANY (k.keys) RETURNING 1
  ), sw AS (
    DELETE FROM session_watches w USING k WHERE w.session_key = ANY (k.keys) RETURNING 1
  ), gone AS (
    DELETE FROM sessions s USING k WHERE s.session_key = ANY (k.keys) RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone)::int AS n, (SELECT count(*) FROM idle)::int AS seen`;

/** One batch of retention; see the SQLite engine. Returns how many were looked at (fewer than the batch: done). */
export async function purgeSessionsBatch(db: Db, before: Date): Promise<{ deleted: number; seen: number }> {
  const { rows } = await db.query<{ n: number; seen: number }>(PURGE_SESSIONS, [before, SESSIONS_PURGE_BATCH]);
  return { deleted: rows[0]!.n, seen: rows[0]!.seen };
}
