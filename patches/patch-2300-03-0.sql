-- LIVE: built without blocking writes, outside any transaction and outside the outage.
-- A live patch must stand alone: it is applied before the window, so it cannot need a cold patch's columns.
CREATE INDEX CONCURRENTLY IF NOT EXISTS bug__owner__idx ON bug (owner);

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 3, 0);
