-- branch.lifecycle_status: Experimental, development, mature, merged or abandoned.
ALTER TABLE branch ADD COLUMN lifecycle_status integer NOT NULL DEFAULT 1;

COMMENT ON COLUMN branch.lifecycle_status IS 'Experimental, development, mature, merged or abandoned.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 30, 0);
