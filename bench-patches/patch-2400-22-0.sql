-- Keep branch.last_scanned current on every update, whatever code path makes it.
CREATE OR REPLACE FUNCTION branch_set_last_scanned() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_scanned := now() AT TIME ZONE 'UTC';
    RETURN NEW;
END;
$$;

CREATE TRIGGER branch__set_last_scanned
BEFORE UPDATE ON branch
FOR EACH ROW
WHEN (OLD.* IS DISTINCT FROM NEW.*)
EXECUTE FUNCTION branch_set_last_scanned();

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 22, 0);
