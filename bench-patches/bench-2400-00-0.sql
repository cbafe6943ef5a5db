-- Baseline of the benchmark database: the core of a Launchpad-like schema with enough rows that
-- column changes, triggers and constraints meet populated tables. Patches 2400-01-0 .. 2400-55-0 apply
-- on top of it; `bench downtime --patches bench-patches` applies them all in one outage.

CREATE TABLE person (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    display_name text NOT NULL,
    is_team boolean NOT NULL DEFAULT false,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE distribution (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    title text NOT NULL,
    owner integer NOT NULL REFERENCES person
);

CREATE TABLE sourcepackagename (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE product (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    title text NOT NULL,
    owner integer NOT NULL REFERENCES person,
    active boolean NOT NULL DEFAULT true,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE bug (
    id serial PRIMARY KEY,
    owner integer NOT NULL REFERENCES person,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    private boolean NOT NULL DEFAULT false,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    date_last_updated timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE bugtask (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    product integer REFERENCES product,
    distribution integer REFERENCES distribution,
    sourcepackagename integer REFERENCES sourcepackagename,
    status integer NOT NULL DEFAULT 10,
    importance integer NOT NULL DEFAULT 5,
    assignee integer REFERENCES person,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX bugtask__bug__idx ON bugtask (bug);
CREATE INDEX bugtask__product__idx ON bugtask (product);

CREATE TABLE bugmessage (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    owner integer NOT NULL REFERENCES person,
    content text NOT NULL,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX bugmessage__bug__idx ON bugmessage (bug);

CREATE TABLE branch (
    id serial PRIMARY KEY,
    owner integer NOT NULL REFERENCES person,
    product integer REFERENCES product,
    name text NOT NULL,
    unique_name text NOT NULL UNIQUE,
    last_scanned timestamp without time zone,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE specification (
    id serial PRIMARY KEY,
    product integer REFERENCES product,
    name text NOT NULL,
    title text NOT NULL,
    owner integer NOT NULL REFERENCES person,
    status integer NOT NULL DEFAULT 10
);

CREATE TABLE question (
    id serial PRIMARY KEY,
    product integer REFERENCES product,
    owner integer NOT NULL REFERENCES person,
    title text NOT NULL,
    status integer NOT NULL DEFAULT 10,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE archive (
    id serial PRIMARY KEY,
    owner integer NOT NULL REFERENCES person,
    distribution integer NOT NULL REFERENCES distribution,
    name text NOT NULL,
    enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE build (
    id serial PRIMARY KEY,
    archive integer NOT NULL REFERENCES archive,
    sourcepackagename integer NOT NULL REFERENCES sourcepackagename,
    status integer NOT NULL DEFAULT 0,
    date_created timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    date_finished timestamp without time zone
);

INSERT INTO person (name, display_name, is_team)
SELECT 'person' || g, 'Person ' || g, g % 50 = 0 FROM generate_series(1, 5000) AS g;
INSERT INTO distribution (name, title, owner)
SELECT 'distro' || g, 'Distribution ' || g, 1 + g FROM generate_series(1, 20) AS g;
INSERT INTO sourcepackagename (name) SELECT 'package' || g FROM generate_series(1, 3000) AS g;
INSERT INTO product (name, title, owner)
SELECT 'product' || g, 'Product ' || g, 1 + (g * 7) % 5000 FROM generate_series(1, 500) AS g;
INSERT INTO bug (owner, title, description)
SELECT 1 + (g * 13) % 5000, 'Bug number ' || g, 'Steps to reproduce: ' || md5(g::text)
FROM generate_series(1, 20000) AS g;
INSERT INTO bugtask (bug, product, distribution, sourcepackagename, status, importance)
SELECT 1 + g % 20000,
       CASE WHEN g % 3 = 0 THEN NULL ELSE 1 + g % 500 END,
       CASE WHEN g % 3 = 0 THEN 1 + g % 20 END,
       CASE WHEN g % 3 = 0 THEN 1 + g % 3000 END,
       10 * (1 + g % 5), 1 + g % 5
FROM generate_series(1, 30000) AS g;
INSERT INTO bugmessage (bug, owner, content)
SELECT 1 + g % 20000, 1 + (g * 11) % 5000, 'Comment ' || md5(g::text) FROM generate_series(1, 40000) AS g;
INSERT INTO branch (owner, product, name, unique_name)
SELECT 1 + g % 5000, 1 + g % 500, 'trunk' || g, '~person' || (1 + g % 5000) || '/product' || (1 + g % 500) || '/trunk' || g
FROM generate_series(1, 5000) AS g;
INSERT INTO specification (product, name, title, owner)
SELECT 1 + g % 500, 'spec' || g, 'Specification ' || g, 1 + g % 5000 FROM generate_series(1, 2000) AS g;
INSERT INTO question (product, owner, title)
SELECT 1 + g % 500, 1 + g % 5000, 'Question ' || g FROM generate_series(1, 3000) AS g;
INSERT INTO archive (owner, distribution, name)
SELECT 1 + g % 5000, 1 + g % 20, 'ppa' || g FROM generate_series(1, 200) AS g;
INSERT INTO build (archive, sourcepackagename, status)
SELECT 1 + g % 200, 1 + g % 3000, g % 4 FROM generate_series(1, 10000) AS g;
