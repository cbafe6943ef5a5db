-- A person's teams, direct members only, for the permission checks.
CREATE VIEW person_teams AS
SELECT m.person, m.team, p.name AS team_name
FROM teammembership m JOIN person p ON p.id = m.team
WHERE m.status IN (2, 3);

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 50, 0);
