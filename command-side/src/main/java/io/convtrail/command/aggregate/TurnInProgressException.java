package io.convtrail.command.aggregate;

import java.util.UUID;

/** A turn was asked for while another turn of the same conversation is still open. */
public class TurnInProgressException extends RuntimeException {

    private final UUID conversationId;
    private final UUID openTurnId;

    public TurnInProgressException(UUID conversationId, UUID openTurnId) {
        super("conversation " + conversationId + " has turn " + openTurnId + " in progress");
        this.conversationId = conversationId;
        this.openTurnId = openTurnId;
    }

    public UUID conversationId() {
        return conversationId;
    }

    public UUID openTurnId() {
        return openTurnId;
    }
}
