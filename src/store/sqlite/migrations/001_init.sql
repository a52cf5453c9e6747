-- Times are integer milliseconds since the Unix epoch (UTC): exact comparisons, no format drift.
-- JSON columns hold text written by JSON.stringify.

CREATE TABLE events (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  app_id       TEXT NOT NULL,
  room_id      TEXT NOT NULL,
  conf_num     TEXT NOT NULL,
  occurred_at  INTEGER,
  received_at  INTEGER NOT NULL,
  body         TEXT NOT NULL,
  raw          BLOB NOT NULL,
  content_type TEXT,
  -- Not unique: the same body may come again once the dedupe window has passed.
  dedupe_key   TEXT NOT NULL,
  files        TEXT NOT NULL,
  stage        NUMERIC,
  file_size    NUMERIC,
  destination  TEXT
);
CREATE INDEX events_dedupe ON events (dedupe_key, received_at);
CREATE INDEX events_received ON events (received_at);

-- seq is the rowid: creation order, which orderKey FIFO follows.
CREATE TABLE deliveries (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  destination     TEXT NOT NULL,
  route           TEXT,
  order_key       TEXT,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'delivering';
CREATE INDEX deliveries_order ON deliveries (order_key, seq) WHERE order_key IS NOT NULL;
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_destination ON deliveries (destination, status);

-- A surrogate key: replay resets a delivery's attempt count, so attempt numbers may repeat.
CREATE TABLE attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL,
  started_at  INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'retry', 'permanent')),
  status_code INTEGER,
  error       TEXT
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, id);

CREATE TABLE rejected (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at  INTEGER NOT NULL,
  code         TEXT NOT NULL,
  reason       TEXT NOT NULL,
  raw          BLOB NOT NULL,
  content_type TEXT,
  remote_addr  TEXT
);

CREATE TABLE state (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
