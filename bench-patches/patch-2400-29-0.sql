-- bugtask.milestone: The milestone the task is targeted to.
ALTER TABLE bugtask ADD COLUMN milestone integer REFERENCES milestone;

COMMENT ON COLUMN bugtask.milestone IS 'The milestone the task is targeted to.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 29, 0);
