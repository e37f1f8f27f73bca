package io.convtrail.api.stream;

import java.util.UUID;

/**
 * A stream envelope with its position: {@code sequence} is the conversation's gapless stream
 * position, used as the SSE {@code id:} and for resume.
 */
public record StreamEvent(UUID conversationId, long sequence, StreamEnvelope envelope) {
}
