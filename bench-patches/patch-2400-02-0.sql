-- Links from a bug to the same bug in another tracker.
CREATE TABLE bugwatch (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    owner integer REFERENCES person,
    remote_bug text NOT NULL,
    remote_status text,
    last_checked timestamp without time zone,
    CONSTRAINT bugwatch__bug__remote_bug__key UNIQUE (bug, remote_bug)
);

CREATE INDEX bugwatch__bug__idx ON bugwatch (bug);
CREATE INDEX bugwatch__owner__idx ON bugwatch (owner);

COMMENT ON TABLE bugwatch IS 'Links from a bug to the same bug in another tracker.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 2, 0);
