package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/** One verbose message, stored like a stage so replays and reconnects never lose it. */
@Revision("1")
public record VerboseRecordedEvent(
        UUID conversationId,
        UUID turnId,
        long sequence,
        VerboseMessage verbose,
        Instant createdAt,
        String hash) {
}
