-- product.bug_reporting_guidelines: Shown to people filing a bug.
ALTER TABLE product ADD COLUMN bug_reporting_guidelines text;

COMMENT ON COLUMN product.bug_reporting_guidelines IS 'Shown to people filing a bug.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 32, 0);
