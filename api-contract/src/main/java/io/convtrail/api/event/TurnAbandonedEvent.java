package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/** A turn left open (its node crashed or hung) was closed by the next turn after the timeout. */
@Revision("1")
public record TurnAbandonedEvent(
        UUID conversationId,
        UUID turnId,
        Instant openedAt,
        Instant abandonedAt,
        UUID abandonedForTurnId) {
}
