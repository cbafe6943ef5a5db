-- URL-safe names: one function, used by every table's name check from now on.
CREATE OR REPLACE FUNCTION valid_name(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT $1 ~ '^[a-z0-9][a-z0-9+.-]*$';
$$;

CREATE OR REPLACE FUNCTION valid_branch_name(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT $1 ~ '^[a-z0-9][a-z0-9+._@-]*$';
$$;

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 52, 0);
