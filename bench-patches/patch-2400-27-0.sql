-- bug.information_type: Public, private or security; replaces the private flag over the next releases.
ALTER TABLE bug ADD COLUMN information_type integer NOT NULL DEFAULT 1;

COMMENT ON COLUMN bug.information_type IS 'Public, private or security; replaces the private flag over the next releases.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 27, 0);
