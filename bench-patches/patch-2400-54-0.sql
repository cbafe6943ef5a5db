-- Distributions are looked up by owner on every person page.
-- lint: ignore require-concurrent-index-creation distribution has 20 rows; the build takes a millisecond
CREATE INDEX distribution__owner__idx ON distribution (owner);

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 54, 0);
