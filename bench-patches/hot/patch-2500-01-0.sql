-- A new nullable column on the hottest table: a catalog change under ACCESS EXCLUSIVE, no rewrite.
ALTER TABLE pgbench_accounts ADD COLUMN note text;

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 1, 0);
