-- The head of an order key, found by its key: a replay that reopens an earlier delivery of a key
-- makes that one the head again (a head not yet claimed steps back behind it), so the messages of
-- a Slack thread still go in order. Only heads are in it (finished and waiting ones have no due_at).
CREATE INDEX deliveries_key_head ON deliveries (order_key) WHERE order_key IS NOT NULL AND due_at IS NOT NULL;

-- Order keys with nothing open are now forgotten by the completion that empties them (no later
-- pass has to look for them): those left by earlier versions go here.
DELETE FROM order_queues WHERE open = 0;
