-- A bug nominated for a series or a milestone.
CREATE TABLE bugnomination (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    owner integer REFERENCES person,
    decider integer REFERENCES person,
    status integer NOT NULL DEFAULT 10,
    date_decided timestamp without time zone
);

CREATE INDEX bugnomination__bug__idx ON bugnomination (bug);
CREATE INDEX bugnomination__owner__idx ON bugnomination (owner);
CREATE INDEX bugnomination__decider__idx ON bugnomination (decider);

COMMENT ON TABLE bugnomination IS 'A bug nominated for a series or a milestone.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 14, 0);
