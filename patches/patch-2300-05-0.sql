-- Keep bug.date_last_updated current when a message is added.
-- The function body is dollar-quoted: its semicolons are not statement ends.
CREATE OR REPLACE FUNCTION bug_touch() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE bug SET date_last_updated = now() AT TIME ZONE 'UTC' WHERE id = NEW.bug;
    RETURN NULL; -- 'quotes'; and "identifiers"; inside the body are part of it
END;
$body$;

CREATE TRIGGER bugmessage__touch_bug
AFTER INSERT ON bugmessage
FOR EACH ROW EXECUTE FUNCTION bug_touch();

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 5, 0);
