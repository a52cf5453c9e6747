import type { Database } from 'better-sqlite3';
import { SCAN_BUDGET, type Page } from '../admin-types.js';
import { foldSession, type SessionEventRow } from '../../sessions/fold-session.js';
import type { DueWatch, SessionCursor, SessionFacts, SessionPageQuery, SessionRecord, SessionSummary, SessionTouch, SessionWatch, WatchMark, WatchState } from '../../sessions/session-types.js';
import { prepared } from './prepared.js';
import { toIso, toIsoOrNull, toMs } from './rows.js';

/** A session's contributions read at most: a session is tens of events; this only bounds a hostile one. */
export const SESSION_EVENTS_CAP = 5000;

export const INSERT_SESSION_EVENT = `
  INSERT INTO session_events (session_key, fact_key, event_id, type, received_at, facts)
  VALUES (@key, @fact_key, @event_id, @type, @at, @facts)
  ON CONFLICT (session_key, fact_key) DO NOTHING`;

// The same body again (after the dedupe window): the row keeps the smallest id and time, so which
// copy came first does not matter.
export const REPEAT_SESSION_EVENT = `
  UPDATE session_events SET event_id = min(event_id, @event_id), received_at = min(received_at, @at)
  WHERE session_key = @key AND fact_key = @fact_key`;

export const UPSERT_SESSION = `
  INSERT INTO sessions (session_key, app_id, room_id, conf_num, first_at, last_at, ended_at, events, overdue)
  VALUES (@key, @app_id, @room_id, @conf_num, @at, @at, @ended_at, @added, 0)
  ON CONFLICT (session_key) DO UPDATE SET
    first_at = min(first_at, excluded.first_at),
    last_at = CASE WHEN excluded.events > 0 THEN max(last_at, excluded.last_at) ELSE last_at END,
    ended_at = coalesce(min(ended_at, excluded.ended_at), ended_at, excluded.ended_at),
    events = events + excluded.events`;

// This event is the `then` of these watches: in time (met) or after the overdue (late).
export const SATISFY_WATCHES = `
  UPDATE session_watches SET state = CASE state WHEN 'waiting' THEN 'met' ELSE 'late' END, updated_at = @at
  WHERE session_key = @key AND then_type = @type AND state IN ('waiting', 'overdue')
  RETURNING state`;

export const LESS_OVERDUE = 'UPDATE sessions SET overdue = max(0, overdue - @n) WHERE session_key = @key';

// A watch opens once per session and name; met at once if its `then` came first. Another `after`
// event of the session (a second recording) that arrived earlier (out of order) moves the start
// to it, while the watch has not fired: the earliest `after` starts the clock, whatever the order.
export const OPEN_WATCH = `
  INSERT INTO session_watches (session_key, name, after_type, then_type, after_at, due_at, state, updated_at)
  VALUES (@key, @name, @after_type, @then_type, @at, @due_at,
          CASE WHEN EXISTS (SELECT 1 FROM session_events WHERE session_key = @key AND type = @then_type) THEN 'met' ELSE 'waiting' END, @at)
  ON CONFLICT (session_key, name) DO UPDATE SET after_at = min(after_at, excluded.after_at), due_at = min(due_at, excluded.due_at)
    WHERE state IN ('waiting', 'met') AND excluded.after_at < after_at`;

/** Writes an event's session touch. Runs in the ingest's transaction, after the event's insert. */
export function touchSession(db: Database, t: SessionTouch, e: { id: string; receivedAt: number; dedupeKey: string }): void {
  const base = { key: t.key, fact_key: e.dedupeKey, event_id: e.id, at: e.receivedAt };
  const added = prepared(db, INSERT_SESSION_EVENT).run({ ...base, type: t.type, facts: JSON.stringify(t.facts) }).changes;
  if (added === 0) prepared(db, REPEAT_SESSION_EVENT).run(base);
  prepared(db, UPSERT_SESSION).run({
    key: t.key,
    app_id: t.appId,
    room_id: t.roomId,
    conf_num: t.confNum,
    at: e.receivedAt,
    ended_at: t.facts.endedAt === undefined ? null : msOrNull(t.facts.endedAt),
    added,
  });
  if (t.satisfies) {
    const satisfied = prepared(db, SATISFY_WATCHES).all({ key: t.key, type: t.type, at: e.receivedAt }) as { state: WatchState }[];
    const late = satisfied.filter((r) => r.state === 'late').length;
    if (late > 0) prepared(db, LESS_OVERDUE).run({ key: t.key, n: late });
  }
  for (const o of t.opens) {
    prepared(db, OPEN_WATCH).run({ key: t.key, name: o.name, after_type: o.afterType, then_type: o.thenType, at: e.receivedAt, due_at: toMs(o.dueAt) });
  }
}

const msOrNull = (iso: string): number | null => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

interface SessionRow {
  session_key: string;
  app_id: string;
  room_id: string;
  conf_num: string;
  first_at: number;
  last_at: number;
  ended_at: number | null;
  events: number;
  overdue: number;
}

interface WatchRow {
  session_key: string;
  name: string;
  after_type: string;
  then_type: string;
  after_at: number;
  due_at: number;
  state: WatchState;
  updated_at: number;
}

const watchFromRow = (w: WatchRow): SessionWatch => ({
  name: w.name,
  afterType: w.after_type,
  thenType: w.then_type,
  afterAt: toIso(w.after_at),
  dueAt: toIso(w.due_at),
  state: w.state,
  updatedAt: toIso(w.updated_at),
});

const summaryFromRow = (s: SessionRow): SessionSummary => ({
  key: s.session_key,
  appId: s.app_id,
  roomId: s.room_id,
  confNum: s.conf_num,
  firstAt: toIso(s.first_at),
  lastAt: toIso(s.last_at),
  endedAt: toIsoOrNull(s.ended_at),
  events: s.events,
  overdue: s.overdue,
});

export const GET_SESSION = 'SELECT * FROM sessions WHERE session_key = ?';
export const SESSION_EVENTS = 'SELECT event_id, type, received_at, fact_key, facts FROM session_events WHERE session_key = ? ORDER BY fact_key LIMIT ?';
export const SESSION_WATCHES = 'SELECT * FROM session_watches WHERE session_key = ? ORDER BY name';

export function getSession(db: Database, key: string, cap = SESSION_EVENTS_CAP): SessionRecord | null {
  const s = prepared(db, GET_SESSION).get(key) as SessionRow | undefined;
  if (!s) return null;
  const rows = (prepared(db, SESSION_EVENTS).all(key, cap) as { event_id: string; type: string; received_at: number; fact_key: string; facts: string }[]).map(
    (r): SessionEventRow => ({ eventId: r.event_id, type: r.type, receivedAt: toIso(r.received_at), factKey: r.fact_key, facts: JSON.parse(r.facts) as SessionFacts }),
  );
  const watches = (prepared(db, SESSION_WATCHES).all(key) as WatchRow[]).map(watchFromRow);
  const whole = rows.length >= cap ? { firstAt: toIso(s.first_at), lastAt: toIso(s.last_at), endedAt: toIsoOrNull(s.ended_at) } : undefined;
  return foldSession(key, { appId: s.app_id, roomId: s.room_id, confNum: s.conf_num }, rows, watches, whole);
}

/** The index a page of sessions is read from: the filter given has one in (last_at, key) order. */
function sessionDriver(q: SessionPageQuery): { index: string; where: string[]; covers: 'room' | 'app' | 'overdue' | null } {
  if (q.roomId !== undefined) return { index: 'sessions_room_last', where: ['room_id = @room'], covers: 'room' };
  if (q.appId !== undefined) return { index: 'sessions_app_last', where: ['app_id = @app'], covers: 'app' };
  if (q.overdue) return { index: 'sessions_overdue_last', where: ['overdue > 0'], covers: 'overdue' };
  return { index: 'sessions_last', where: [], covers: null };
}

/**
 * Sessions newest first (by last_at, key), like pageEvents: a window of at most SCAN_BUDGET
 * entries of the driving index after the cursor, the other filters applied to it.
 */
export function pageSessions(db: Database, q: SessionPageQuery): Page<SessionSummary, SessionCursor> {
  const { sql, endSql, params } = sessionPageSql(q);
  const rows = prepared(db, sql).all(params) as SessionRow[];
  let next: SessionCursor | null = null;
  const last = rows[rows.length - 1];
  if (last && rows.length === params.limit) next = { lastAt: toIso(last.last_at), key: last.session_key };
  else if (endSql) {
    const end = prepared(db, endSql).get(params) as { k: string; t: number } | undefined;
    if (end) next = { lastAt: toIso(end.t), key: end.k };
  }
  return { items: rows.map(summaryFromRow), next };
}

/** The page's statement (and, with a second filter, the one that finds where its window ended). */
export function sessionPageSql(q: SessionPageQuery): { sql: string; endSql: string | null; params: Record<string, unknown> & { limit: number } } {
  const d = sessionDriver(q);
  const where = [...d.where];
  if (q.before) where.push('(last_at, session_key) < (@ct, @ckey)');
  const window = `SELECT session_key AS k, last_at AS t FROM sessions INDEXED BY ${d.index}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC, session_key DESC`;
  const filters: string[] = [];
  if (q.appId !== undefined && d.covers !== 'app') filters.push('s.app_id = @app');
  if (q.overdue && d.covers !== 'overdue') filters.push('s.overdue > 0');
  const params = {
    room: q.roomId ?? null,
    app: q.appId ?? null,
    ct: q.before ? toMs(q.before.lastAt) : null,
    ckey: q.before?.key ?? null,
    budget: SCAN_BUDGET,
    limit: Math.max(1, Math.min(Math.trunc(q.limit), SCAN_BUDGET)),
  };
  const sql = `SELECT s.* FROM (${window} LIMIT ${filters.length ? '@budget' : '@limit'}) w JOIN sessions s ON s.session_key = w.k
    ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY w.t DESC, w.k DESC LIMIT @limit`;
  return { sql, endSql: filters.length ? `${window} LIMIT 1 OFFSET @budget - 1` : null, params };
}

// The watchdog's work, through its two partial indexes: waiting past due, earliest first; late.
export const DUE_WATCHES = `
  SELECT w.*, s.app_id, s.room_id, s.conf_num,
    EXISTS (SELECT 1 FROM session_events e WHERE e.session_key = w.session_key AND e.type = w.then_type) AS then_seen,
    (SELECT json_group_array(type) FROM (SELECT DISTINCT type FROM session_events e WHERE e.session_key = w.session_key ORDER BY type)) AS types
  FROM (SELECT * FROM (SELECT * FROM session_watches INDEXED BY session_watches_due WHERE state = 'waiting' AND due_at <= @now ORDER BY due_at LIMIT @limit)
        UNION ALL
        SELECT * FROM (SELECT * FROM session_watches INDEXED BY session_watches_late WHERE state = 'late' ORDER BY updated_at LIMIT @limit)) w
  JOIN sessions s ON s.session_key = w.session_key
  LIMIT @limit`;

export function dueWatches(db: Database, now: number, limit: number): DueWatch[] {
  const rows = prepared(db, DUE_WATCHES).all({ now, limit: Math.max(0, Math.trunc(limit)) }) as (WatchRow & { app_id: string; room_id: string; conf_num: string; then_seen: number; types: string })[];
  return rows.map((r) => ({
    key: r.session_key,
    appId: r.app_id,
    roomId: r.room_id,
    confNum: r.conf_num,
    watch: watchFromRow(r),
    thenSeen: r.then_seen === 1,
    typesSeen: JSON.parse(r.types) as string[],
  }));
}

export const MARK_WATCH = 'UPDATE session_watches SET state = @to, updated_at = @now, due_at = coalesce(@due, due_at) WHERE session_key = @key AND name = @name AND state = @from';
export const MORE_OVERDUE = 'UPDATE sessions SET overdue = max(0, overdue + @n) WHERE session_key = @key';

/** The marks in order, each only if its watch is in `from`; keeps sessions.overdue. Returns how many applied. */
export function markWatches(db: Database, marks: WatchMark[], now: number): number {
  let applied = 0;
  for (const m of marks) {
    if (prepared(db, MARK_WATCH).run({ key: m.key, name: m.name, from: m.from, to: m.to, now, due: m.dueAt === undefined ? null : toMs(m.dueAt) }).changes === 0) continue;
    applied++;
    const n = Number(m.to === 'overdue') - Number(m.from === 'overdue');
    if (n !== 0) prepared(db, MORE_OVERDUE).run({ key: m.key, n });
  }
  return applied;
}

export const SESSIONS_PURGE_BATCH = 200;
// Idle since before the cut, oldest first through sessions_last, with nothing left to announce.
export const IDLE_SESSIONS = `
  SELECT session_key FROM sessions INDEXED BY sessions_last
  WHERE last_at < @before
    AND NOT EXISTS (SELECT 1 FROM session_watches w WHERE w.session_key = sessions.session_key AND w.state IN ('waiting', 'late'))
  ORDER BY last_at LIMIT @limit`;
export const DELETE_SESSION = 'DELETE FROM sessions WHERE session_key = ?';
export const DELETE_SESSION_EVENTS = 'DELETE FROM session_events WHERE session_key = ?';
export const DELETE_SESSION_WATCHES = 'DELETE FROM session_watches WHERE session_key = ?';

/**
 * One batch of retention: the records of sessions idle since before `before` (no event since,
 * no watch still to fire or to recover). Returns how many went (fewer than the batch: done).
 */
export function purgeSessionsBatch(db: Database, before: number): number {
  const keys = (prepared(db, IDLE_SESSIONS).all({ before, limit: SESSIONS_PURGE_BATCH }) as { session_key: string }[]).map((r) => r.session_key);
  for (const k of keys) {
    prepared(db, DELETE_SESSION_EVENTS).run(k);
    prepared(db, DELETE_SESSION_WATCHES).run(k);
    prepared(db, DELETE_SESSION).run(k);
  }
  return keys.length;
}
