-- A rule the application already keeps: NOT VALID checks new rows only, without scanning build
-- under the outage's locks; a later live patch runs VALIDATE CONSTRAINT.
ALTER TABLE build ADD CONSTRAINT finished_after_created CHECK (date_finished IS NULL OR date_finished >= date_created) NOT VALID;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 42, 0);
