-- A rule the application already keeps: NOT VALID checks new rows only, without scanning bug
-- under the outage's locks; a later live patch runs VALIDATE CONSTRAINT.
ALTER TABLE bug ADD CONSTRAINT valid_title CHECK (char_length(title) BETWEEN 1 AND 200) NOT VALID;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 38, 0);
