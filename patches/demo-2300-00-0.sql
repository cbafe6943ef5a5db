-- Baseline of the demo database: a small bug tracker in the spirit of Launchpad.
-- A baseline builds a fresh database; patches numbered 2300-xx-x apply on top of it.

CREATE TABLE person (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    display_name text NOT NULL,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE bug (
    id serial PRIMARY KEY,
    owner integer NOT NULL REFERENCES person,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    date_last_updated timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE bugmessage (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    owner integer NOT NULL REFERENCES person,
    content text NOT NULL,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX bugmessage__bug__idx ON bugmessage (bug);

INSERT INTO person (name, display_name)
SELECT 'user' || g, 'User ' || g FROM generate_series(1, 200) AS g;

INSERT INTO bug (owner, title, description)
SELECT 1 + (g % 200), 'Bug number ' || g, 'Steps to reproduce: ' || md5(g::text)
FROM generate_series(1, 2000) AS g;
