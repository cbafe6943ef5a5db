-- Bug heat. A constant default is only catalogue metadata since PostgreSQL 11: no table rewrite.
ALTER TABLE bug ADD COLUMN heat integer NOT NULL DEFAULT 0;

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 2, 0);
