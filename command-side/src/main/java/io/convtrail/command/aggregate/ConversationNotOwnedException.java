package io.convtrail.command.aggregate;

import java.util.UUID;

/** A turn or feedback for a conversation that belongs to someone else; answered as if it did not exist. */
public class ConversationNotOwnedException extends RuntimeException {

    private final UUID conversationId;

    public ConversationNotOwnedException(UUID conversationId) {
        super("conversation " + conversationId + " belongs to another caller");
        this.conversationId = conversationId;
    }

    public UUID conversationId() {
        return conversationId;
    }
}
