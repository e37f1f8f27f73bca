package io.convtrail.api.rest;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * ConvEngine's ConversationFeedbackResponse. convtrail keeps no query-knowledge store, so its three
 * counters are always 0; {@code feedbackId} is the feedback record's sequence in the conversation.
 */
@Schema(description = "the recorded feedback")
public record FeedbackResponse(
        boolean success,
        @Schema(description = "the feedback record's sequence in the conversation") long feedbackId,
        @Schema(description = "always 0") int capturedQueryKnowledgeCount,
        @Schema(description = "always 0") int capturedUserQueryKnowledgeCount,
        @Schema(description = "always 0") int embeddedUserQueryKnowledgeCount,
        String message) {

    public static FeedbackResponse saved(long feedbackId) {
        return new FeedbackResponse(true, feedbackId, 0, 0, 0, "Feedback saved.");
    }
}
