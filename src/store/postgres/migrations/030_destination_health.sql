-- Destination health (relay.destination.failing / .recovered): one row per destination that has
-- had an attempt. The health watch of each replica writes what it observed at most once per
-- interval and the transitions between ok and failing (conditional updates: one replica wins);
-- the delivery hot path never writes it.
CREATE TABLE destination_health (
  destination     text PRIMARY KEY,
  state           text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'failing')),
  episode         integer NOT NULL DEFAULT 0,
  announced       text NOT NULL DEFAULT 'ok' CHECK (announced IN ('ok', 'failing')),
  failing_since   timestamptz,
  recovered_at    timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_errors     text NOT NULL DEFAULT '[]'
);
