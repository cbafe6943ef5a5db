-- A line of development of a product.
CREATE TABLE productseries (
    id serial PRIMARY KEY,
    product integer NOT NULL REFERENCES product,
    owner integer REFERENCES person,
    branch integer REFERENCES branch,
    name text NOT NULL,
    summary text NOT NULL DEFAULT '',
    CONSTRAINT productseries__product__name__key UNIQUE (product, name)
);

CREATE INDEX productseries__product__idx ON productseries (product);
CREATE INDEX productseries__owner__idx ON productseries (owner);
CREATE INDEX productseries__branch__idx ON productseries (branch);

COMMENT ON TABLE productseries IS 'A line of development of a product.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 8, 0);
