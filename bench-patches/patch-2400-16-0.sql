-- bug.task_count: kept by a trigger on bugtask, so listings stop counting bugtask rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE bug ADD COLUMN task_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION bugtask_maintain_bug_task_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.bug IS NOT NULL THEN
        UPDATE bug SET task_count = task_count + 1 WHERE id = NEW.bug;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.bug IS NOT NULL THEN
        UPDATE bug SET task_count = task_count - 1 WHERE id = OLD.bug;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER bugtask__maintain_bug_task_count
AFTER INSERT OR UPDATE OF bug OR DELETE ON bugtask
FOR EACH ROW EXECUTE FUNCTION bugtask_maintain_bug_task_count();

COMMENT ON COLUMN bug.task_count IS 'Number of bugtask rows; maintained by bugtask_maintain_bug_task_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 16, 0);
