package io.convtrail.api.event;

import io.convtrail.api.Stage;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/**
 * One audit stage. {@code sequence} is the conversation's gapless stream position (shared with
 * verbose messages); {@code hash} chains this record to the previous one of the conversation, so
 * an edited or deleted record breaks the chain. {@code turnId} is null for records outside a turn
 * (feedback).
 */
@Revision("1")
public record StageRecordedEvent(
        UUID conversationId,
        UUID turnId,
        long sequence,
        Stage stage,
        String payloadJson,
        Instant createdAt,
        String hash) {
}
