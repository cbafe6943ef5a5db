-- product.specification_count: kept by a trigger on specification, so listings stop counting specification rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE product ADD COLUMN specification_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION specification_maintain_product_specification_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.product IS NOT NULL THEN
        UPDATE product SET specification_count = specification_count + 1 WHERE id = NEW.product;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.product IS NOT NULL THEN
        UPDATE product SET specification_count = specification_count - 1 WHERE id = OLD.product;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER specification__maintain_product_specification_count
AFTER INSERT OR UPDATE OF product OR DELETE ON specification
FOR EACH ROW EXECUTE FUNCTION specification_maintain_product_specification_count();

COMMENT ON COLUMN product.specification_count IS 'Number of specification rows; maintained by specification_maintain_product_specification_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 20, 0);
