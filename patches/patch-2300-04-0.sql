-- Person names must be usable in URLs.
-- lint: ignore constraint-missing-not-valid person holds a few hundred rows; the scan takes milliseconds
ALTER TABLE person ADD CONSTRAINT valid_name CHECK (name ~ '^[a-z0-9][a-z0-9+.-]*$');

INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 4, 0);
