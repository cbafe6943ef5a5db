-- Let a bug exist without a description: the web form no longer requires one.
ALTER TABLE bug ALTER COLUMN description DROP NOT NULL;
ALTER TABLE bug ALTER COLUMN description DROP DEFAULT;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 45, 0);
