-- A rule the application already keeps: NOT VALID checks new rows only, without scanning bugtask
-- under the outage's locks; a later live patch runs VALIDATE CONSTRAINT.
ALTER TABLE bugtask ADD CONSTRAINT valid_target CHECK ((product IS NULL) <> (distribution IS NULL)) NOT VALID;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 41, 0);
