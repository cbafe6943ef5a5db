-- Who follows a branch.
CREATE TABLE branchsubscription (
    id serial PRIMARY KEY,
    branch integer NOT NULL REFERENCES branch,
    person integer REFERENCES person,
    notification_level integer NOT NULL DEFAULT 1,
    max_diff_lines integer,
    CONSTRAINT branchsubscription__branch__person__key UNIQUE (branch, person)
);

CREATE INDEX branchsubscription__branch__idx ON branchsubscription (branch);
CREATE INDEX branchsubscription__person__idx ON branchsubscription (person);

COMMENT ON TABLE branchsubscription IS 'Who follows a branch.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 3, 0);
