package io.convtrail.command.turn;

/** A flow's id and the SHA-256 of its source, so an audit can tell which version produced an answer. */
public record FlowIdentity(String flowId, String contentHash) {
}
