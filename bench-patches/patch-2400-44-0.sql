-- Questions' default status follows the new enum; old rows are migrated by a garbo job.
ALTER TABLE question ALTER COLUMN status SET DEFAULT 20;
COMMENT ON COLUMN question.status IS 'Open (20), needs information (30), answered (40), solved (50), expired (60), invalid (70).';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 44, 0);
