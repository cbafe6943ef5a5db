-- Who follows a blueprint.
CREATE TABLE specificationsubscription (
    id serial PRIMARY KEY,
    specification integer NOT NULL REFERENCES specification,
    person integer REFERENCES person,
    essential boolean NOT NULL DEFAULT false,
    CONSTRAINT specificationsubscription__specification__person__key UNIQUE (specification, person)
);

CREATE INDEX specificationsubscription__specification__idx ON specificationsubscription (specification);
CREATE INDEX specificationsubscription__person__idx ON specificationsubscription (person);

COMMENT ON TABLE specificationsubscription IS 'Who follows a blueprint.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 6, 0);
