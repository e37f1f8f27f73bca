-- Trace read model, built incrementally by the 'trace' processor: turns, the steps the engine ran
-- (STEP_ENTER .. STEP_EXIT / STEP_ERROR) and every stage with the step it was recorded in.
-- Keys are event positions (auditId) or turn ids, so applying an event twice changes nothing.

CREATE TABLE trace_turn (
    turn_id         UUID         NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    turn_index      INTEGER      NOT NULL,
    user_text       TEXT,
    started_at      TIMESTAMPTZ  NOT NULL,
    ended_at        TIMESTAMPTZ,
    final_intent    VARCHAR(255),
    final_state     VARCHAR(255),
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'ABANDONED')),
    outcome         VARCHAR(16)
);

CREATE INDEX trace_turn_conversation_idx ON trace_turn (conversation_id, turn_index);

-- step_id is the auditId of the step's STEP_ENTER.
CREATE TABLE trace_step (
    step_id         BIGINT       NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    turn_id         UUID,
    step            VARCHAR(255),
    step_class      VARCHAR(512),
    source_file     VARCHAR(512),
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('RUNNING', 'OK', 'ERROR')),
    started_at      TIMESTAMPTZ  NOT NULL,
    ended_at        TIMESTAMPTZ,
    duration_ms     BIGINT,
    error           TEXT
);

CREATE INDEX trace_step_conversation_idx ON trace_step (conversation_id, step_id);
-- the open steps: the stack every stage of a running turn is matched against
CREATE INDEX trace_step_open_idx ON trace_step (conversation_id, step_id) WHERE status = 'RUNNING';

-- step_id: the innermost step open when the stage was recorded (null outside steps and for the
-- STEP_* brackets themselves). json, not jsonb: the payload is returned byte for byte.
CREATE TABLE trace_stage (
    audit_id        BIGINT       NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    turn_id         UUID,
    step_id         BIGINT,
    stage           VARCHAR(64)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    payload         JSON         NOT NULL
);

CREATE INDEX trace_stage_conversation_idx ON trace_stage (conversation_id, audit_id);
