-- bugtask.date_closed: When the task reached a closed status.
ALTER TABLE bugtask ADD COLUMN date_closed timestamp without time zone;

COMMENT ON COLUMN bugtask.date_closed IS 'When the task reached a closed status.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 28, 0);
