package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A turn began. Revision 2 added two fields, null in revision 1 events: {@code owner}, the {@code sub}
 * that posted the conversation's first turn (null when security was off; later turns repeat it, so the
 * event store alone says whose a conversation is, before and after any read model rebuild), and
 * {@code runnerId}, the process that runs the turn (a turn without one only the timeout can abandon).
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
        String owner,
        UUID runnerId) {
}
