package io.convtrail.api.query;

import java.util.UUID;

/** Subscription: every stream event of one conversation as it is committed. */
public record StreamConversationQuery(UUID conversationId) {
}
