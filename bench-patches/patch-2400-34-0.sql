-- distribution.official_malone: Whether bugs are tracked here.
ALTER TABLE distribution ADD COLUMN official_malone boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN distribution.official_malone IS 'Whether bugs are tracked here.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 34, 0);
