package io.convtrail.api.query;

import java.util.UUID;

/**
 * The last stream position (sequence) of a conversation in the read model, 0 when it has none: a
 * live stream starts after it, so a client that reconnects with it as Last-Event-ID misses nothing.
 */
public record FindStreamHeadQuery(UUID conversationId) {
}
