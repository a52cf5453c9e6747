-- Retention deletes state rows (Slack threads, email roots) of sessions idle past RELAY_RETENTION:
-- an index on updated_at keeps that hourly delete from scanning the whole table.
CREATE INDEX state_updated_at ON state (updated_at);
