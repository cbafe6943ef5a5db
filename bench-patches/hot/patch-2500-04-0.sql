-- A constraint added NOT VALID: checked for new rows only, existing ones are not scanned here.
ALTER TABLE pgbench_tellers ADD CONSTRAINT pgbench_tellers__balance__sane CHECK (tbalance > -2000000000) NOT VALID;

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 4, 0);
