-- A request to merge one branch into another.
CREATE TABLE branchmergeproposal (
    id serial PRIMARY KEY,
    source_branch integer NOT NULL REFERENCES branch,
    target_branch integer REFERENCES branch,
    registrant integer REFERENCES person,
    queue_status integer NOT NULL DEFAULT 1,
    description text,
    date_merged timestamp without time zone
);

CREATE INDEX branchmergeproposal__source_branch__idx ON branchmergeproposal (source_branch);
CREATE INDEX branchmergeproposal__target_branch__idx ON branchmergeproposal (target_branch);
CREATE INDEX branchmergeproposal__registrant__idx ON branchmergeproposal (registrant);

COMMENT ON TABLE branchmergeproposal IS 'A request to merge one branch into another.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 4, 0);
