package io.convtrail.api.command;

import io.convtrail.api.stage.UserFeedback;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/**
 * Records a user's feedback on an answer as stage MCP_USER_FEEDBACK, outside any turn. Refused for a
 * conversation that does not exist, or that holds {@code maxRecords} records already.
 */
public record RecordFeedbackCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UserFeedback feedback,
        Instant createdAt,
        long maxRecords,
        TurnRequester requester) {
}
