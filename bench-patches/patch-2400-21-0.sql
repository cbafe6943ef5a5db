-- Keep bug.date_last_updated current on every update, whatever code path makes it.
CREATE OR REPLACE FUNCTION bug_set_date_last_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.date_last_updated := now() AT TIME ZONE 'UTC';
    RETURN NEW;
END;
$$;

CREATE TRIGGER bug__set_date_last_updated
BEFORE UPDATE ON bug
FOR EACH ROW
WHEN (OLD.* IS DISTINCT FROM NEW.*)
EXECUTE FUNCTION bug_set_date_last_updated();

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 21, 0);
