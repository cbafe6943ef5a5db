-- person.karma: Cached karma total, recomputed nightly.
ALTER TABLE person ADD COLUMN karma integer NOT NULL DEFAULT 0;

COMMENT ON COLUMN person.karma IS 'Cached karma total, recomputed nightly.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 25, 0);
