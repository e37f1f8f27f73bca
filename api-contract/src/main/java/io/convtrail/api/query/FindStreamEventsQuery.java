package io.convtrail.api.query;

import java.util.UUID;

/** Stored stream events (audit and verbose) of a conversation after a stream position, in order. */
public record FindStreamEventsQuery(UUID conversationId, long afterSequence, int limit) {
}
