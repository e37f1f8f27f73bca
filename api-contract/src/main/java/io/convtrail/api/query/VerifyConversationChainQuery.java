package io.convtrail.api.query;

import java.util.UUID;

/** Recompute a conversation's record hash chain from the event store and compare the read model with it. */
public record VerifyConversationChainQuery(UUID conversationId) {
}
