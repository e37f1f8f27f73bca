package io.convtrail.api.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Opens a turn on a conversation, creating the conversation when it does not exist yet. Rejected
 * while another turn is open, unless that turn is older than {@code abandonAfterMillis} or is the
 * {@code abandonTurnId} the caller found dead (its runner is gone): then it is closed as abandoned
 * first. Refused once the conversation holds {@code maxRecords} records, and for a {@code requester}
 * that may not use the conversation. Answers with the conversation as the turn finds it.
 *
 * @param requester     who asks; the first turn makes its subject the owner
 * @param runnerId      the process (one boot of one node) that runs the turn; recorded on the turn so
 *                      the next turn can tell whether the runner is still alive
 * @param abandonTurnId the open turn the caller established is no longer running anywhere, or null
 */
public record StartTurnCommand(
        @TargetAggregateIdentifier UUID conversationId,
        UUID turnId,
        String userText,
        boolean reset,
        Map<String, Object> inputParams,
        String flowId,
        String flowHash,
        Instant requestedAt,
        long abandonAfterMillis,
        long maxRecords,
        TurnRequester requester,
        UUID runnerId,
        UUID abandonTurnId) {

    /** A turn whose runner is not known (scripts and tests): only the timeout abandons it; no record limit. */
    public StartTurnCommand(UUID conversationId, UUID turnId, String userText, boolean reset,
                            Map<String, Object> inputParams, String flowId, String flowHash, Instant requestedAt,
                            long abandonAfterMillis, TurnRequester requester) {
        this(conversationId, turnId, userText, reset, inputParams, flowId, flowHash, requestedAt, abandonAfterMillis,
                Long.MAX_VALUE, requester, null, null);
    }
}
