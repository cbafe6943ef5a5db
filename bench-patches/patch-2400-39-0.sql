-- A rule the application already keeps: NOT VALID checks new rows only, without scanning product
-- under the outage's locks; a later live patch runs VALIDATE CONSTRAINT.
ALTER TABLE product ADD CONSTRAINT valid_name CHECK (name ~ '^[a-z0-9][a-z0-9+.-]*$') NOT VALID;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 39, 0);
