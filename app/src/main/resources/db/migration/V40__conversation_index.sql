-- Conversation index read model, built by the 'conversation-index' processor (owner: ConversationIndexRepository):
-- one summary row per conversation for GET /api/v1/conversations, one row per turn it is derived from (so applying
-- an event twice changes nothing: the summary is recomputed from the turn rows), and the users' messages for the
-- text search in a table of their own, the only personal content of this model: erasure deletes a conversation's
-- rows there.

CREATE TABLE conversation_index (
    conversation_id  UUID         NOT NULL PRIMARY KEY,
    owner            VARCHAR(255),
    started_at       TIMESTAMPTZ  NOT NULL,
    last_activity_at TIMESTAMPTZ  NOT NULL,
    turns            INTEGER      NOT NULL DEFAULT 0,
    last_intent      VARCHAR(255),
    last_state       VARCHAR(255),
    answered         INTEGER      NOT NULL DEFAULT 0,
    failed           INTEGER      NOT NULL DEFAULT 0,
    abandoned        INTEGER      NOT NULL DEFAULT 0,
    blocked          INTEGER      NOT NULL DEFAULT 0,
    flow_id          VARCHAR(255),
    flow_version     VARCHAR(255)
);

-- the list's order (newest first) and cursor; the owner's list
CREATE INDEX conversation_index_started_idx ON conversation_index (started_at DESC, conversation_id DESC);
CREATE INDEX conversation_index_owner_idx ON conversation_index (owner, started_at DESC, conversation_id DESC);

CREATE TABLE conversation_index_turn (
    turn_id         UUID         NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    turn_index      INTEGER      NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL,
    ended_at        TIMESTAMPTZ,
    intent          VARCHAR(255),
    state           VARCHAR(255),
    outcome         VARCHAR(16)
);

CREATE INDEX conversation_index_turn_conversation_idx ON conversation_index_turn (conversation_id, turn_index);

-- personal content: what the user typed, per turn
CREATE TABLE conversation_index_text (
    turn_id         UUID         NOT NULL PRIMARY KEY,
    conversation_id UUID         NOT NULL,
    user_text       TEXT         NOT NULL
);

CREATE INDEX conversation_index_text_conversation_idx ON conversation_index_text (conversation_id);

-- 'contains' searches (ILIKE '%…%') use a trigram index where pg_trgm can be installed (the embedded PostgreSQL
-- ships it; a database whose user may not create it scans the text table instead, which still answers correctly)
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): the conversation text search runs without an index', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX conversation_index_text_trgm_idx ON conversation_index_text '
             || 'USING gin (user_text gin_trgm_ops)';
    END IF;
END
$$;
