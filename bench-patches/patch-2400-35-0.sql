-- specification.date_completed: When the blueprint was implemented.
ALTER TABLE specification ADD COLUMN date_completed timestamp without time zone;

COMMENT ON COLUMN specification.date_completed IS 'When the blueprint was implemented.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 35, 0);
