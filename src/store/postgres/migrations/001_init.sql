-- Times are timestamptz (written from the relay's clock, millisecond precision), raw bodies bytea
-- (byte-exact), JSON columns `json` rather than `jsonb`: json keeps the text as sent, including
-- escapes jsonb refuses (\u0000) and duplicate keys, so nothing an EnableX body holds can fail here.

CREATE TABLE events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  app_id       text NOT NULL,
  room_id      text NOT NULL,
  conf_num     text NOT NULL,
  occurred_at  timestamptz,
  received_at  timestamptz NOT NULL,
  body         json NOT NULL,
  raw          bytea NOT NULL,
  content_type text,
  -- Not unique: the same body may come again once the dedupe window has passed. Concurrent
  -- identical bodies are serialized by an advisory lock on the key (ingest.ts).
  dedupe_key   text NOT NULL,
  files        json NOT NULL,
  stage        double precision,
  file_size    double precision,
  destination  json
);
CREATE INDEX events_dedupe ON events (dedupe_key, received_at);
CREATE INDEX events_received ON events (received_at);

-- seq is creation order, which orderKey FIFO follows.
CREATE TABLE deliveries (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text NOT NULL UNIQUE,
  event_id        text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  destination     text NOT NULL,
  route           text,
  order_key       text,
  status          text NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until     timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'delivering';
CREATE INDEX deliveries_order ON deliveries (order_key, seq) WHERE order_key IS NOT NULL;
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_status ON deliveries (status, destination);

-- A surrogate key: replay resets a delivery's attempt count, so attempt numbers may repeat.
CREATE TABLE attempts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt     integer NOT NULL,
  started_at  timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'retry', 'permanent')),
  status_code integer,
  error       text
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, id);

CREATE TABLE rejected (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at  timestamptz NOT NULL,
  code         text NOT NULL,
  reason       text NOT NULL,
  raw          bytea NOT NULL,
  content_type text,
  remote_addr  text
);

CREATE TABLE state (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL
);
