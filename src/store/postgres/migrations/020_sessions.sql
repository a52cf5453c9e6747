-- Sessions (app_id, room_id, conf_num): one record per session, built from its events whatever
-- order they come in. Written by the statement of each event's ingest.

-- What each distinct body of a session contributes (its facts), keyed by its dedupe key: the same
-- body again adds nothing. The record is a fold of these rows, read in fact_key order.
CREATE TABLE session_events (
  session_key text NOT NULL,
  fact_key    text NOT NULL,
  event_id    text NOT NULL,
  type        text NOT NULL,
  received_at timestamptz NOT NULL,
  facts       json NOT NULL,
  PRIMARY KEY (session_key, fact_key)
);
-- Has the session an event of this type (an expectation's `then`)?
CREATE INDEX session_events_type ON session_events (session_key, type);

-- One row per session, upserted order-independently (least / greatest), for listings.
-- overdue: how many of its watches are overdue now.
CREATE TABLE sessions (
  session_key text PRIMARY KEY,
  app_id      text NOT NULL,
  room_id     text NOT NULL,
  conf_num    text NOT NULL,
  first_at    timestamptz NOT NULL,
  last_at     timestamptz NOT NULL,
  ended_at    timestamptz,
  events      integer NOT NULL DEFAULT 0,
  overdue     integer NOT NULL DEFAULT 0
);
CREATE INDEX sessions_last ON sessions (last_at, session_key);
CREATE INDEX sessions_app_last ON sessions (app_id, last_at, session_key);
CREATE INDEX sessions_room_last ON sessions (room_id, last_at, session_key);
CREATE INDEX sessions_overdue_last ON sessions (last_at, session_key) WHERE overdue > 0;

-- The rules' expectations per session: opened by the `after` event, due at due_at.
CREATE TABLE session_watches (
  session_key text NOT NULL,
  name        text NOT NULL,
  after_type  text NOT NULL,
  then_type   text NOT NULL,
  after_at    timestamptz NOT NULL,
  due_at      timestamptz NOT NULL,
  state       text NOT NULL CHECK (state IN ('waiting', 'met', 'overdue', 'late', 'recovered', 'cancelled')),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (session_key, name)
);
-- The watchdog's timers: only the watches it still has to act on are in these.
CREATE INDEX session_watches_due ON session_watches (due_at) WHERE state = 'waiting';
CREATE INDEX session_watches_late ON session_watches (updated_at) WHERE state = 'late';
