package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import io.convtrail.api.event.TurnOutcome;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Closes the open turn with the last records of the turn and the conversation as the turn leaves
 * it. {@code outcome} tells an audit whether the engine answered, refused or failed.
 */
public record CompleteTurnCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        List<TurnRecord> records,
        ConversationState conversation,
        TurnOutcome outcome,
        Instant completedAt) {

    public CompleteTurnCommand {
        records = List.copyOf(records);
    }
}
