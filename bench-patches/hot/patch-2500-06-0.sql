-- A new table with a foreign key to a hot one: the key takes SHARE ROW EXCLUSIVE on pgbench_branches.
CREATE TABLE pgbench_branch_note (
    id serial PRIMARY KEY,
    bid integer NOT NULL REFERENCES pgbench_branches,
    note text NOT NULL
);

INSERT INTO LaunchpadDatabaseRevision VALUES (2500, 6, 0);
