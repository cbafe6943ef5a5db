-- product.translations_usage: Where the product's translations are done.
ALTER TABLE product ADD COLUMN translations_usage integer NOT NULL DEFAULT 10;

COMMENT ON COLUMN product.translations_usage IS 'Where the product''s translations are done.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 33, 0);
