-- Whether a person may see a bug: public bugs, or private ones they are subscribed to.
CREATE OR REPLACE FUNCTION bug_visible_to(bug_id integer, person_id integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT b.private
        OR EXISTS (SELECT 1 FROM bugsubscription s WHERE s.bug = b.id AND s.subscriber = person_id)
    FROM bug b WHERE b.id = bug_id;
$$;

COMMENT ON FUNCTION bug_visible_to(integer, integer) IS 'Used by the search queries until access policies land.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 51, 0);
