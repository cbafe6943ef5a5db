-- Recent activity per bug, for the front page.
-- This patch does not record its own revision: the engine inserts the row.
CREATE VIEW bug_activity AS
SELECT b.id AS bug, b.title, b.heat, count(m.id) AS messages, max(m.date_created) AS last_message
FROM bug b LEFT JOIN bugmessage m ON m.bug = b.id
GROUP BY b.id, b.title, b.heat;
