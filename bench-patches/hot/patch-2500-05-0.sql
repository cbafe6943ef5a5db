-- Its validation: a scan of every teller (SHARE UPDATE EXCLUSIVE).
ALTER TABLE pgbench_tellers VALIDATE CONSTRAINT pgbench_tellers__balance__sane;

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 5, 0);
