-- Bug tags: a new table, so its index and constraints take no lock on anything in use.
CREATE TABLE bugtag (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    tag text NOT NULL,
    CONSTRAINT bugtag__bug__tag__key UNIQUE (bug, tag),
    CONSTRAINT valid_tag CHECK (tag ~ '^[a-z0-9][a-z0-9+.-]*$')
);

CREATE INDEX bugtag__tag__idx ON bugtag (tag);

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 1, 0);
