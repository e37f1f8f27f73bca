-- Reads of conversations by auditors and admins (ConversationAccessLog): who, when, through which
-- channel and endpoint. Written by the security layer, never by a projection, so rebuilds keep it.
CREATE TABLE conversation_access (
    id              BIGSERIAL    NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    subject         VARCHAR(255) NOT NULL,
    roles           VARCHAR(255) NOT NULL,
    channel         VARCHAR(16)  NOT NULL CHECK (channel IN ('http', 'sse', 'stomp')),
    endpoint        VARCHAR(512) NOT NULL,
    accessed_at     TIMESTAMPTZ  NOT NULL
);

CREATE INDEX conversation_access_conversation_idx ON conversation_access (conversation_id, id);
