package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@Revision("1")
public record TurnCompletedEvent(
        UUID conversationId,
        UUID turnId,
        String intent,
        String state,
        Map<String, Object> slots,
        Map<String, Object> context,
        TurnOutcome outcome,
        Instant completedAt) {
}
