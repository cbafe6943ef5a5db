-- One job of the build farm.
CREATE TABLE buildfarmjob (
    id serial PRIMARY KEY,
    build integer NOT NULL REFERENCES build,
    requester integer REFERENCES person,
    job_type integer NOT NULL,
    status integer NOT NULL DEFAULT 0,
    date_started timestamp without time zone,
    date_finished timestamp without time zone
);

CREATE INDEX buildfarmjob__build__idx ON buildfarmjob (build);
CREATE INDEX buildfarmjob__requester__idx ON buildfarmjob (requester);

COMMENT ON TABLE buildfarmjob IS 'One job of the build farm.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 11, 0);
