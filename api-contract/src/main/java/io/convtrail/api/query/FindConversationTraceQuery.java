package io.convtrail.api.query;

import java.util.UUID;

/** The trace of one conversation: its turns, the steps the engine ran and every stage, in auditId order. */
public record FindConversationTraceQuery(UUID conversationId) {
}
