-- build.log_url: Where the build log is kept.
ALTER TABLE build ADD COLUMN log_url text;

COMMENT ON COLUMN build.log_url IS 'Where the build log is kept.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 37, 0);
