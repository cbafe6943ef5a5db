-- product.branch_count: kept by a trigger on branch, so listings stop counting branch rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE product ADD COLUMN branch_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION branch_maintain_product_branch_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.product IS NOT NULL THEN
        UPDATE product SET branch_count = branch_count + 1 WHERE id = NEW.product;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.product IS NOT NULL THEN
        UPDATE product SET branch_count = branch_count - 1 WHERE id = OLD.product;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER branch__maintain_product_branch_count
AFTER INSERT OR UPDATE OF product OR DELETE ON branch
FOR EACH ROW EXECUTE FUNCTION branch_maintain_product_branch_count();

COMMENT ON COLUMN product.branch_count IS 'Number of branch rows; maintained by branch_maintain_product_branch_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 17, 0);
