-- Archives by distribution and name, for the archive traversal.
-- lint: ignore require-concurrent-index-creation archive has 200 rows; the build takes a millisecond
CREATE UNIQUE INDEX archive__distribution__name__key ON archive (distribution, name);

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 55, 0);
