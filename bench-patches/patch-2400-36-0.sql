-- archive.private: Private archives need a subscription to download.
ALTER TABLE archive ADD COLUMN private boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN archive.private IS 'Private archives need a subscription to download.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 36, 0);
