-- New bugs start as New (10), importance Undecided (5) is now 999 in the enum the application uses.
ALTER TABLE bugtask ALTER COLUMN importance SET DEFAULT 999;
ALTER TABLE bugtask ALTER COLUMN status SET DEFAULT 10;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 43, 0);
