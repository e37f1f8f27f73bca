-- Raw audit and stream history: one row per stage or verbose record.
-- audit_id is the event's global index in domainevententry (unique, increasing, stable on replay);
-- seq is the conversation's gapless stream position (the SSE id).
CREATE TABLE audit_event (
    audit_id        BIGINT       NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    seq             BIGINT       NOT NULL,
    turn_id         UUID,
    kind            VARCHAR(16)  NOT NULL CHECK (kind IN ('AUDIT', 'VERBOSE')),
    stage           VARCHAR(64)  NOT NULL,
    payload_json    TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    hash            CHAR(64)     NOT NULL,
    CONSTRAINT audit_event_conversation_seq_key UNIQUE (conversation_id, seq)
);

CREATE INDEX audit_event_conversation_audit_idx ON audit_event (conversation_id, audit_id);
