package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A turn opened. Revision 2 added {@code runnerId}, the process that runs the turn; it is null in
 * revision 1 events, whose turns only the timeout can abandon.
 */
@Revision("2")
public record TurnStartedEvent(
        UUID conversationId,
        UUID turnId,
        int turnIndex,
        String userText,
        boolean reset,
        Map<String, Object> inputParams,
        String flowId,
        String flowHash,
        Instant startedAt,
        UUID runnerId) {

    public TurnStartedEvent(UUID conversationId, UUID turnId, int turnIndex, String userText, boolean reset,
                            Map<String, Object> inputParams, String flowId, String flowHash, Instant startedAt) {
        this(conversationId, turnId, turnIndex, userText, reset, inputParams, flowId, flowHash, startedAt, null);
    }
}
