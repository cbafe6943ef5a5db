-- The date of the last answer, set by a trigger when a message is added.
ALTER TABLE question ADD COLUMN date_last_response timestamp without time zone;

CREATE OR REPLACE FUNCTION question_set_date_last_response() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE question SET date_last_response = NEW.date_created WHERE id = NEW.question;
    RETURN NULL;
END;
$$;

CREATE TRIGGER questionmessage__set_date_last_response
AFTER INSERT ON questionmessage
FOR EACH ROW EXECUTE FUNCTION question_set_date_last_response();

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 23, 0);
