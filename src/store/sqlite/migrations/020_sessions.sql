-- Sessions (app_id, room_id, conf_num): one record per session, built from its events whatever
-- order they come in. Written in the transaction of each event's ingest.

-- What each distinct body of a session contributes (its facts, JSON), keyed by its dedupe key:
-- the same body again adds nothing. The record is a fold of these rows, read in fact_key order.
CREATE TABLE session_events (
  session_key TEXT NOT NULL,
  fact_key    TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  type        TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  facts       TEXT NOT NULL,
  PRIMARY KEY (session_key, fact_key)
) WITHOUT ROWID;
-- Has the session an event of this type (an expectation's `then`)?
CREATE INDEX session_events_type ON session_events (session_key, type);

-- One row per session, upserted order-independently (min / max / coalesce), for listings.
-- overdue: how many of its watches are overdue now.
CREATE TABLE sessions (
  session_key TEXT PRIMARY KEY,
  app_id      TEXT NOT NULL,
  room_id     TEXT NOT NULL,
  conf_num    TEXT NOT NULL,
  first_at    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  ended_at    INTEGER,
  events      INTEGER NOT NULL DEFAULT 0,
  overdue     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_last ON sessions (last_at, session_key);
CREATE INDEX sessions_app_last ON sessions (app_id, last_at, session_key);
CREATE INDEX sessions_room_last ON sessions (room_id, last_at, session_key);
CREATE INDEX sessions_overdue_last ON sessions (last_at, session_key) WHERE overdue > 0;

-- The rules' expectations per session: opened by the `after` event, due at due_at.
CREATE TABLE session_watches (
  session_key TEXT NOT NULL,
  name        TEXT NOT NULL,
  after_type  TEXT NOT NULL,
  then_type   TEXT NOT NULL,
  after_at    INTEGER NOT NULL,
  due_at      INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('waiting', 'met', 'overdue', 'late', 'recovered', 'cancelled')),
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (session_key, name)
) WITHOUT ROWID;
-- The watchdog's timers: only the watches it still has to act on are in these.
CREATE INDEX session_watches_due ON session_watches (due_at) WHERE state = 'waiting';
CREATE INDEX session_watches_late ON session_watches (updated_at) WHERE state = 'late';
