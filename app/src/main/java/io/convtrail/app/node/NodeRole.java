package io.convtrail.app.node;

/** What a node does ({@code convtrail.node.roles}); a node has one or both. */
public enum NodeRole {
    /** runs turns: {@code POST /api/v1/conversation/message} and {@code /feedback} */
    COMMAND,
    /** runs the projections and serves what they hold: audit, trace, verify, exports, streams, the console */
    QUERY
}
