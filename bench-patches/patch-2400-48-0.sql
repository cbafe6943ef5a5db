-- licence: the names behind the integers, for reports written in SQL.
CREATE TABLE licence (
    value integer PRIMARY KEY,
    title text NOT NULL UNIQUE
);

INSERT INTO licence (value, title) VALUES
    (10, 'GPL-3.0'),
    (20, 'GPL-2.0'),
    (30, 'LGPL-3.0'),
    (40, 'Apache-2.0'),
    (50, 'MIT'),
    (60, 'BSD-3-Clause'),
    (70, 'Other/Proprietary');

CREATE TABLE productlicence (
    id serial PRIMARY KEY,
    product integer NOT NULL REFERENCES product,
    licence integer NOT NULL REFERENCES licence,
    CONSTRAINT productlicence__product__licence__key UNIQUE (product, licence)
);
CREATE INDEX productlicence__licence__idx ON productlicence (licence);

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 48, 0);
