-- A reviewer's vote on a merge proposal.
CREATE TABLE codereviewvote (
    id serial PRIMARY KEY,
    reviewer integer NOT NULL REFERENCES person,
    registrant integer REFERENCES person,
    vote integer,
    review_type text,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX codereviewvote__reviewer__idx ON codereviewvote (reviewer);
CREATE INDEX codereviewvote__registrant__idx ON codereviewvote (registrant);

COMMENT ON TABLE codereviewvote IS 'A reviewer''s vote on a merge proposal.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 5, 0);
