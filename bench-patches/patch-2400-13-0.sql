-- Members of teams, and their status.
CREATE TABLE teammembership (
    id serial PRIMARY KEY,
    team integer NOT NULL REFERENCES person,
    person integer REFERENCES person,
    proposed_by integer REFERENCES person,
    status integer NOT NULL DEFAULT 2,
    date_expires timestamp without time zone,
    CONSTRAINT teammembership__team__person__key UNIQUE (team, person)
);

CREATE INDEX teammembership__team__idx ON teammembership (team);
CREATE INDEX teammembership__person__idx ON teammembership (person);
CREATE INDEX teammembership__proposed_by__idx ON teammembership (proposed_by);

COMMENT ON TABLE teammembership IS 'Members of teams, and their status.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 13, 0);
