-- Events a projection could not apply, held aside so the others keep flowing (owner: ProjectionQuarantine).
-- One row per processor and event; an operator retries them after fixing the cause, a rebuild clears them.
CREATE TABLE projection_quarantine (
    processor          VARCHAR(255) NOT NULL,
    event_id           VARCHAR(255) NOT NULL,
    global_index       BIGINT,
    conversation_id    VARCHAR(255),
    aggregate_sequence BIGINT,
    payload_type       VARCHAR(255) NOT NULL,
    error              TEXT         NOT NULL,
    sql_state          VARCHAR(5),
    attempts           INTEGER      NOT NULL,
    quarantined_at     TIMESTAMPTZ  NOT NULL,
    last_attempt_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT projection_quarantine_pkey PRIMARY KEY (processor, event_id)
);

-- read-your-writes asks, for every read, whether the conversation has an event held back
CREATE INDEX projection_quarantine_conversation_idx ON projection_quarantine (conversation_id, processor);
