package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/** Records a user's feedback on an answer as stage MCP_USER_FEEDBACK, outside any turn. */
public record RecordFeedbackCommand(
        @TargetAggregateIdentifier UUID conversationId,
        String payloadJson,
        Instant createdAt,
        TurnRequester requester) {
}
