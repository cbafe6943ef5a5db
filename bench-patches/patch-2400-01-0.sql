-- Who is subscribed to a bug, and how much mail they want.
CREATE TABLE bugsubscription (
    id serial PRIMARY KEY,
    bug integer NOT NULL REFERENCES bug,
    subscriber integer REFERENCES person,
    subscribed_by integer REFERENCES person,
    bug_notification_level integer NOT NULL DEFAULT 40,
    CONSTRAINT bugsubscription__bug__subscriber__key UNIQUE (bug, subscriber)
);

CREATE INDEX bugsubscription__bug__idx ON bugsubscription (bug);
CREATE INDEX bugsubscription__subscriber__idx ON bugsubscription (subscriber);
CREATE INDEX bugsubscription__subscribed_by__idx ON bugsubscription (subscribed_by);

COMMENT ON TABLE bugsubscription IS 'Who is subscribed to a bug, and how much mail they want.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 1, 0);
