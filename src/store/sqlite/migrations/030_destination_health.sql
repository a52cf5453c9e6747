-- Destination health (relay.destination.failing / .recovered): one row per destination that has
-- had an attempt. The health watch writes what its process observed at most once per interval
-- and the transitions between ok and failing; the delivery hot path never writes it. Times in ms.
CREATE TABLE destination_health (
  destination     TEXT PRIMARY KEY,
  state           TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'failing')),
  episode         INTEGER NOT NULL DEFAULT 0,
  announced       TEXT NOT NULL DEFAULT 'ok' CHECK (announced IN ('ok', 'failing')),
  failing_since   INTEGER,
  recovered_at    INTEGER,
  last_success_at INTEGER,
  last_failure_at INTEGER,
  last_errors     TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
