-- bugtaskstatus: the names behind the integers, for reports written in SQL.
CREATE TABLE bugtaskstatus (
    value integer PRIMARY KEY,
    title text NOT NULL UNIQUE
);

INSERT INTO bugtaskstatus (value, title) VALUES
    (10, 'New'),
    (20, 'Incomplete'),
    (30, 'Confirmed'),
    (40, 'Triaged'),
    (50, 'In Progress'),
    (60, 'Fix Committed'),
    (70, 'Fix Released'),
    (80, 'Won''t Fix'),
    (90, 'Invalid');

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 46, 0);
