-- archive.build_count: kept by a trigger on build, so listings stop counting build rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE archive ADD COLUMN build_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION build_maintain_archive_build_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.archive IS NOT NULL THEN
        UPDATE archive SET build_count = build_count + 1 WHERE id = NEW.archive;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.archive IS NOT NULL THEN
        UPDATE archive SET build_count = build_count - 1 WHERE id = OLD.archive;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER build__maintain_archive_build_count
AFTER INSERT OR UPDATE OF archive OR DELETE ON build
FOR EACH ROW EXECUTE FUNCTION build_maintain_archive_build_count();

COMMENT ON COLUMN archive.build_count IS 'Number of build rows; maintained by build_maintain_archive_build_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 19, 0);
