-- An index on the append-only history every transaction inserts into: built while the outage holds it.
CREATE INDEX pgbench_history__aid__idx ON pgbench_history (aid);

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 3, 0);
