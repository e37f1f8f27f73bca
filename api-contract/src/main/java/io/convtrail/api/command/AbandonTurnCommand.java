package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/**
 * Closes a turn that cannot finish (the service is stopping) as abandoned. Does nothing when that
 * turn is no longer open (it finished meanwhile); answers whether it closed the turn.
 */
public record AbandonTurnCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        String reason,
        Instant requestedAt) {
}
