-- One key per conversation (AES-256), wrapped with the master key (AES-KW); the personal content of the
-- conversation's events is sealed with it (README, Compliance). An erasure sets wrapped_key to NULL and
-- keeps the row as a tombstone, so readers tell "erased" from "never had a key". Owner: JdbcConversationKeys.
CREATE TABLE conversation_key (
    conversation_id UUID        NOT NULL PRIMARY KEY,
    wrapped_key     BYTEA,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    erased_at       TIMESTAMPTZ,
    CONSTRAINT conversation_key_erased CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- A fingerprint (HMAC-SHA256) of the master key the keys above are wrapped with: a node started with another
-- master key refuses to start instead of failing on every read.
CREATE TABLE conversation_key_master (
    id          SMALLINT    NOT NULL PRIMARY KEY CHECK (id = 1),
    fingerprint CHAR(64)    NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
