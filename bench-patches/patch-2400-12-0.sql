-- Who may upload to an archive, and for which packages.
CREATE TABLE archivepermission (
    id serial PRIMARY KEY,
    archive integer NOT NULL REFERENCES archive,
    person integer REFERENCES person,
    sourcepackagename integer REFERENCES sourcepackagename,
    permission integer NOT NULL,
    CONSTRAINT archivepermission__archive__person__sourcepackagename__key UNIQUE (archive, person, sourcepackagename)
);

CREATE INDEX archivepermission__archive__idx ON archivepermission (archive);
CREATE INDEX archivepermission__person__idx ON archivepermission (person);
CREATE INDEX archivepermission__sourcepackagename__idx ON archivepermission (sourcepackagename);

COMMENT ON TABLE archivepermission IS 'Who may upload to an archive, and for which packages.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 12, 0);
