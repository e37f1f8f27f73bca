package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Opens a turn on a conversation, creating the conversation when it does not exist yet. Rejected
 * while another turn is open, unless that turn is older than {@code abandonAfterMillis}: then it is
 * closed as abandoned first, and refused once the conversation holds {@code maxRecords} records.
 * Answers with the conversation as the turn finds it.
 */
public record StartTurnCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        String userText,
        boolean reset,
        Map<String, Object> inputParams,
        String flowId,
        String flowHash,
        Instant requestedAt,
        long abandonAfterMillis,
        long maxRecords) {
}
