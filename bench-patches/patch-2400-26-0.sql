-- bug.heat: How hot a bug is: subscribers, duplicates and recent activity.
ALTER TABLE bug ADD COLUMN heat integer NOT NULL DEFAULT 0;

COMMENT ON COLUMN bug.heat IS 'How hot a bug is: subscribers, duplicates and recent activity.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 26, 0);
