-- buildstatus: the names behind the integers, for reports written in SQL.
CREATE TABLE buildstatus (
    value integer PRIMARY KEY,
    title text NOT NULL UNIQUE
);

INSERT INTO buildstatus (value, title) VALUES
    (10, 'Needs building'),
    (20, 'Successfully built'),
    (30, 'Failed to build'),
    (40, 'Dependency wait'),
    (50, 'Chroot problem'),
    (60, 'Superseded'),
    (70, 'Cancelled');

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 47, 0);
