-- Claims read only what they claim (issue "Delivery at scale"); the same design as SQLite's
-- 004_claimable.sql, with what several replicas writing at once need on top.
--
-- due_at: when a delivery can next be claimed (pending: its next attempt; delivering: the end of
-- its lease); NULL when finished or waiting behind an earlier delivery of its order key.
ALTER TABLE deliveries ADD COLUMN due_at timestamptz;
ALTER TABLE deliveries ADD COLUMN replays integer NOT NULL DEFAULT 0;

UPDATE deliveries SET due_at = CASE status WHEN 'pending' THEN next_attempt_at ELSE lease_until END
WHERE status IN ('pending', 'delivering');

UPDATE deliveries d SET due_at = NULL
WHERE d.order_key IS NOT NULL AND d.status = 'pending' AND EXISTS (
  SELECT 1 FROM deliveries e
  WHERE e.order_key = d.order_key AND e.seq < d.seq AND e.status IN ('pending', 'delivering'));

DROP INDEX deliveries_due;
DROP INDEX deliveries_lease;
DROP INDEX deliveries_order;
DROP INDEX deliveries_status;

CREATE INDEX deliveries_claimable ON deliveries (destination, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX deliveries_waiting ON deliveries (order_key, seq) WHERE status = 'pending' AND due_at IS NULL;
CREATE INDEX deliveries_open ON deliveries (destination, seq) WHERE status IN ('pending', 'delivering');
CREATE INDEX deliveries_dead ON deliveries (seq) WHERE status = 'dead';

DROP INDEX events_received;
CREATE INDEX events_received ON events (received_at, id);

-- One row per order key: how many of its deliveries are open. Ingest and completion update it
-- (ON CONFLICT and UPDATE see its latest version even when another replica just changed it), so
-- two replicas never both make a head of one key, and a finished head always finds the delivery
-- that waited behind it.
CREATE TABLE order_queues (
  order_key text PRIMARY KEY,
  open      integer NOT NULL CHECK (open >= 0)
);
INSERT INTO order_queues (order_key, open)
SELECT order_key, count(*) FROM deliveries
WHERE order_key IS NOT NULL AND status IN ('pending', 'delivering') GROUP BY order_key;

-- The newest event of each dedupe key: an ingest decides "duplicate or new" with one
-- INSERT ... ON CONFLICT, which waits for a replica inserting the same key and then sees its row.
CREATE TABLE dedupe_keys (
  dedupe_key  text PRIMARY KEY,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX dedupe_keys_received ON dedupe_keys (received_at);
INSERT INTO dedupe_keys (dedupe_key, event_id, received_at)
SELECT DISTINCT ON (dedupe_key) dedupe_key, id, received_at FROM events ORDER BY dedupe_key, received_at DESC, id DESC;
DROP INDEX events_dedupe;

-- Deliveries per destination and status, kept by statement triggers. One row per server process
-- (shard = pg_backend_pid()): a transaction only ever updates its own connection's rows, so
-- concurrent ingests never queue behind one counter row. Retention folds the rows of processes
-- that have ended into shard 0.
CREATE TABLE delivery_counts (
  shard       integer NOT NULL,
  destination text NOT NULL,
  status      text NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (shard, destination, status)
);
INSERT INTO delivery_counts (shard, destination, status, n)
SELECT 0, destination, status, count(*) FROM deliveries GROUP BY destination, status;

CREATE FUNCTION enx_count_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO delivery_counts AS c (shard, destination, status, n)
    SELECT pg_backend_pid(), destination, status, count(*) FROM new_rows GROUP BY destination, status ORDER BY 2, 3
    ON CONFLICT (shard, destination, status) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO delivery_counts AS c (shard, destination, status, n)
    SELECT pg_backend_pid(), destination, status, sum(delta) FROM (
      SELECT destination, status, 1 AS delta FROM new_rows
      UNION ALL SELECT destination, status, -1 FROM old_rows) x
    GROUP BY destination, status HAVING sum(delta) <> 0 ORDER BY 2, 3
    ON CONFLICT (shard, destination, status) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSE
    INSERT INTO delivery_counts AS c (shard, destination, status, n)
    SELECT pg_backend_pid(), destination, status, -count(*) FROM old_rows GROUP BY destination, status ORDER BY 2, 3
    ON CONFLICT (shard, destination, status) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enx_count_deliveries();
CREATE TRIGGER deliveries_count_update AFTER UPDATE ON deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enx_count_deliveries();
CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION enx_count_deliveries();
