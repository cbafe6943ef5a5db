-- An upload waiting in an archive's queue.
CREATE TABLE packageupload (
    id serial PRIMARY KEY,
    archive integer NOT NULL REFERENCES archive,
    signing_key_owner integer REFERENCES person,
    status integer NOT NULL DEFAULT 0,
    changes_file text,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX packageupload__archive__idx ON packageupload (archive);
CREATE INDEX packageupload__signing_key_owner__idx ON packageupload (signing_key_owner);

COMMENT ON TABLE packageupload IS 'An upload waiting in an archive''s queue.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 10, 0);
