package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/**
 * Erases a conversation's personal content by destroying its key (crypto-shredding) and records who
 * did it, when and why. Refused for an unknown or already erased conversation, and while a turn runs
 * (a turn open longer than {@code abandonAfterMillis} is closed as abandoned first), so no turn is
 * ever half sealed with a key that is gone.
 */
public record EraseConversationCommand(
        @TargetAggregateIdentifier UUID conversationId,
        String erasedBy,
        String reason,
        Instant requestedAt,
        long abandonAfterMillis) {
}
