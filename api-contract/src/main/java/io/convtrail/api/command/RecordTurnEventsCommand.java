package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.UUID;

/** Appends what the engine produced since the last flush point of the open turn, in order. */
public record RecordTurnEventsCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        List<TurnRecord> records) {

    public RecordTurnEventsCommand {
        records = List.copyOf(records);
    }
}
