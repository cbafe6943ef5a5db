-- branch.last_mirrored_id: The tip revision when the branch was last mirrored.
ALTER TABLE branch ADD COLUMN last_mirrored_id text;

COMMENT ON COLUMN branch.last_mirrored_id IS 'The tip revision when the branch was last mirrored.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 31, 0);
