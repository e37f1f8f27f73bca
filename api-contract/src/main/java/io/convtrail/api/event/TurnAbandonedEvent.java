package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/**
 * A turn that could not finish was closed: by the next turn (after the timeout, or at once when the
 * process that ran it is gone; {@code abandonedForTurnId} names that turn) or by its own process
 * while stopping ({@code abandonedForTurnId} null).
 */
@Revision("1")
public record TurnAbandonedEvent(
        UUID conversationId,
        UUID turnId,
        Instant openedAt,
        Instant abandonedAt,
        UUID abandonedForTurnId) {
}
