package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Closes the open turn with the last records of the turn and the conversation as the turn leaves
 * it. {@code outcome} tells an audit whether the engine answered, refused or failed.
 */
public record CompleteTurnCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        List<TurnRecord> records,
        String intent,
        String state,
        Map<String, Object> slots,
        Map<String, Object> context,
        TurnOutcome outcome,
        Instant completedAt) {

    public CompleteTurnCommand {
        records = List.copyOf(records);
    }
}
