package io.convtrail.query.projection;

import java.time.Instant;

/**
 * An event a projection could not apply, held aside. {@code conversationId} and
 * {@code aggregateSequence} find it in the event store again; {@code error} is what the projection
 * (usually PostgreSQL) said the last time it was tried.
 */
public record QuarantinedEvent(String processor, String eventId, Long globalIndex, String conversationId,
                               Long aggregateSequence, String payloadType, String error, String sqlState,
                               int attempts, Instant quarantinedAt, Instant lastAttemptAt) {
}
