-- A counter every claim increments and replay never resets: it tells one claim from another even
-- when a replay has reset `attempts`, so a worker whose claim was lost cannot finish, defer or
-- renew a later claim of the same delivery.
ALTER TABLE deliveries ADD COLUMN claim_seq INTEGER NOT NULL DEFAULT 0;
