-- The messages of a question's conversation.
CREATE TABLE questionmessage (
    id serial PRIMARY KEY,
    question integer NOT NULL REFERENCES question,
    owner integer REFERENCES person,
    content text NOT NULL,
    action integer NOT NULL DEFAULT 0,
    new_status integer NOT NULL DEFAULT 10
);

CREATE INDEX questionmessage__question__idx ON questionmessage (question);
CREATE INDEX questionmessage__owner__idx ON questionmessage (owner);

COMMENT ON TABLE questionmessage IS 'The messages of a question''s conversation.';

INSERT INTO LaunchpadDatabaseRevision VALUES (2400, 7, 0);
