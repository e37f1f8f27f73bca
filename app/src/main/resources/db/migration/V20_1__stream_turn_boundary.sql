-- Turn boundaries of the live stream (TURN envelopes, opt-in for SSE clients), written by the audit
-- projection in the same transaction as the records, so a resumed stream replays them in place.
-- audit_id is the turn event's global index in domainevententry; after_seq is the conversation's
-- last record (stream position) before it: the boundary is sent after that record.
CREATE TABLE audit_turn_boundary (
    audit_id        BIGINT       NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    after_seq       BIGINT       NOT NULL,
    turn_id         UUID         NOT NULL,
    stage           VARCHAR(16)  NOT NULL CHECK (stage IN ('TURN_START', 'TURN_END')),
    payload_json    TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL
);

CREATE INDEX audit_turn_boundary_conversation_idx ON audit_turn_boundary (conversation_id, after_seq, audit_id);
