package io.convtrail.api.query;

import io.convtrail.api.Stage;

import java.util.UUID;

/**
 * The raw audit rows of one conversation in auditId order. {@code afterAuditId}, {@code limit} and
 * {@code stage} are optional (null = no bound, no limit, every stage).
 */
public record FindConversationAuditQuery(UUID conversationId, Long afterAuditId, Integer limit, Stage stage) {
}
