-- product.question_count: kept by a trigger on question, so listings stop counting question rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE product ADD COLUMN question_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION question_maintain_product_question_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.product IS NOT NULL THEN
        UPDATE product SET question_count = question_count + 1 WHERE id = NEW.product;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.product IS NOT NULL THEN
        UPDATE product SET question_count = question_count - 1 WHERE id = OLD.product;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER question__maintain_product_question_count
AFTER INSERT OR UPDATE OF product OR DELETE ON question
FOR EACH ROW EXECUTE FUNCTION question_maintain_product_question_count();

COMMENT ON COLUMN product.question_count IS 'Number of question rows; maintained by question_maintain_product_question_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 18, 0);
