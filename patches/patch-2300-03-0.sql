-- LIVE: built without blocking writes, outside any transaction and outside the outage.
CREATE INDEX CONCURRENTLY IF NOT EXISTS bug__heat__idx ON bug (heat);

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 3, 0);
