package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@Revision("1")
public record TurnStartedEvent(
        UUID conversationId,
        UUID turnId,
        int turnIndex,
        String userText,
        boolean reset,
        Map<String, Object> inputParams,
        String flowId,
        String flowHash,
        Instant startedAt) {
}
