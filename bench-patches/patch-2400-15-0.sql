-- bug.message_count: kept by a trigger on bugmessage, so listings stop counting bugmessage rows on every page view.
-- A constant default is catalogue metadata only (PostgreSQL 11+): no table rewrite.
ALTER TABLE bug ADD COLUMN message_count integer NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION bugmessage_maintain_bug_message_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.bug IS NOT NULL THEN
        UPDATE bug SET message_count = message_count + 1 WHERE id = NEW.bug;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.bug IS NOT NULL THEN
        UPDATE bug SET message_count = message_count - 1 WHERE id = OLD.bug;
    END IF;
    RETURN NULL; -- an AFTER trigger's result is ignored
END;
$$;

CREATE TRIGGER bugmessage__maintain_bug_message_count
AFTER INSERT OR UPDATE OF bug OR DELETE ON bugmessage
FOR EACH ROW EXECUTE FUNCTION bugmessage_maintain_bug_message_count();

COMMENT ON COLUMN bug.message_count IS 'Number of bugmessage rows; maintained by bugmessage_maintain_bug_message_count(). Backfilled by a garbo job.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 15, 0);
