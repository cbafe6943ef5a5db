-- A target date for a product's work.
CREATE TABLE milestone (
    id serial PRIMARY KEY,
    product integer NOT NULL REFERENCES product,
    owner integer REFERENCES person,
    name text NOT NULL,
    dateexpected date,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT milestone__product__name__key UNIQUE (product, name)
);

CREATE INDEX milestone__product__idx ON milestone (product);
CREATE INDEX milestone__owner__idx ON milestone (owner);

COMMENT ON TABLE milestone IS 'A target date for a product''s work.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 9, 0);
