-- Open bug counts per product, for the project front pages.
CREATE VIEW product_open_bugs AS
SELECT t.product, count(*) AS open_bugs, max(b.date_last_updated) AS last_updated
FROM bugtask t JOIN bug b ON b.id = t.bug
WHERE t.product IS NOT NULL AND t.status < 30
GROUP BY t.product;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 49, 0);
