-- Recent builds per archive, for the PPA pages.
CREATE VIEW archive_recent_builds AS
SELECT b.archive, b.id AS build, s.name AS package, b.status, b.date_created
FROM build b JOIN sourcepackagename s ON s.id = b.sourcepackagename
WHERE b.date_created > (now() AT TIME ZONE 'UTC') - interval '30 days';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 53, 0);
