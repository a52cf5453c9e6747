-- Claims read only what they claim (issue "Delivery at scale").
--
-- due_at: when a delivery can next be claimed. Pending: its next attempt; delivering: the end of
-- its lease (a lease that runs out makes it claimable again); NULL for finished deliveries and
-- for deliveries waiting behind an earlier one of their order key. Only the head of each order
-- key is claimable; finishing it promotes the next (lowest seq), so a claim never looks at what
-- waits behind a head, and the claimable index holds the backlog only, never the history.
ALTER TABLE deliveries ADD COLUMN due_at INTEGER;

UPDATE deliveries SET due_at = CASE status WHEN 'pending' THEN next_attempt_at ELSE lease_until END
WHERE status IN ('pending', 'delivering');

UPDATE deliveries SET due_at = NULL
WHERE order_key IS NOT NULL AND status = 'pending' AND EXISTS (
  SELECT 1 FROM deliveries e
  WHERE e.order_key = deliveries.order_key AND e.seq < deliveries.seq AND e.status IN ('pending', 'delivering'));

DROP INDEX deliveries_due;
DROP INDEX deliveries_lease;
DROP INDEX deliveries_order;
DROP INDEX deliveries_destination;

-- The claim: per destination, the earliest due first.
CREATE INDEX deliveries_claimable ON deliveries (destination, due_at) WHERE due_at IS NOT NULL;
-- Open deliveries of an order key: is there a head already (ingest), which waits next (promotion).
CREATE INDEX deliveries_open_order ON deliveries (order_key, seq) WHERE order_key IS NOT NULL AND status IN ('pending', 'delivering');
-- Open deliveries per destination in creation order: the oldest one's age (metrics).
CREATE INDEX deliveries_open ON deliveries (destination, seq) WHERE status IN ('pending', 'delivering');
-- Dead letters in creation order: replay walks them in batches, listings find them newest first.
CREATE INDEX deliveries_dead ON deliveries (seq) WHERE status = 'dead';

-- Arrival order with a unique tie-break: purge batches and listings page by (received_at, id).
DROP INDEX events_received;
CREATE INDEX events_received ON events (received_at, id);

-- How many deliveries each destination has in each status, kept by triggers in the transaction
-- that changes them: the backlog gauge and the admin summary read a handful of rows, never a
-- GROUP BY over every delivery.
CREATE TABLE delivery_counts (
  destination TEXT NOT NULL,
  status      TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (destination, status)
) WITHOUT ROWID;

INSERT INTO delivery_counts (destination, status, n)
SELECT destination, status, count(*) FROM deliveries GROUP BY destination, status;

CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries BEGIN
  INSERT INTO delivery_counts (destination, status, n) VALUES (NEW.destination, NEW.status, 1)
  ON CONFLICT (destination, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deliveries_count_update AFTER UPDATE OF status ON deliveries WHEN OLD.status <> NEW.status BEGIN
  UPDATE delivery_counts SET n = n - 1 WHERE destination = OLD.destination AND status = OLD.status;
  INSERT INTO delivery_counts (destination, status, n) VALUES (NEW.destination, NEW.status, 1)
  ON CONFLICT (destination, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries BEGIN
  UPDATE delivery_counts SET n = n - 1 WHERE destination = OLD.destination AND status = OLD.status;
END;

-- A replay makes a new message of a delivery (a new webhook-id, a new Slack post): counted here.
ALTER TABLE deliveries ADD COLUMN replays INTEGER NOT NULL DEFAULT 0;
