-- The processes that run turns: one row per run of a node. A turn records the runner_id of the
-- process that runs it; the next turn of the conversation may close it at once when that runner is
-- gone (ended, superseded by a newer run of the same node, or silent past the liveness timeout).
CREATE TABLE turn_runner (
    runner_id    uuid PRIMARY KEY,
    node_name    text        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    ended_at     timestamptz
);

CREATE INDEX turn_runner_live_by_node ON turn_runner (node_name) WHERE ended_at IS NULL;
