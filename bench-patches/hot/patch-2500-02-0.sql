-- A new column with a constant default: stored in the catalog (PostgreSQL 11+), still no rewrite.
ALTER TABLE pgbench_accounts ADD COLUMN flags integer NOT NULL DEFAULT 0;

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 2, 0);
