package io.convtrail.api.event;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

/**
 * The conversation's key was destroyed: its personal content reads as {@code "[erased]"} from now on,
 * its structure and hash chain stay. {@code shredded} is false when there was no key to destroy
 * (written with encryption off): then the content is hidden from every reader but still stored.
 */
@Revision("1")
public record ConversationErasedEvent(
        UUID conversationId,
        String erasedBy,
        String reason,
        Instant erasedAt,
        boolean shredded) {
}
