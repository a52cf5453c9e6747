-- The admin API's pages (the dashboard): every listing reads an index in its own order, newest
-- first, so a page costs what it shows whatever is stored. Events by type, app and room, each in
-- (received_at, id) order, the cursor.
CREATE INDEX events_type_received ON events (type, received_at, id);
CREATE INDEX events_app_received ON events (app_id, received_at, id);
CREATE INDEX events_room_received ON events (room_id, received_at, id);
-- Dead letters: partial indexes hold only dead deliveries, so the delivery hot path (pending ->
-- delivering -> delivered) never writes them. created_at is the event's received_at (ingest).
CREATE INDEX deliveries_dead_time ON deliveries (created_at, event_id, id) WHERE status = 'dead';
CREATE INDEX deliveries_dead_destination ON deliveries (destination, created_at, event_id, id) WHERE status = 'dead';
