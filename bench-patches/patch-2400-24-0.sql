-- person.homepage_content: What a person says about themselves on their page.
ALTER TABLE person ADD COLUMN homepage_content text;

COMMENT ON COLUMN person.homepage_content IS 'What a person says about themselves on their page.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 24, 0);
