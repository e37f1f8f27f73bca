package io.convtrail.command.aggregate;

import java.util.UUID;

/** A turn was asked for while another turn of the same conversation is still open. */
public class TurnInProgressException extends RuntimeException {

    private final UUID conversationId;
    private final UUID openTurnId;
    private final UUID runnerId;

    /** {@code runnerId}: the process running the open turn, null when the turn did not record it. */
    public TurnInProgressException(UUID conversationId, UUID openTurnId, UUID runnerId) {
        super("conversation " + conversationId + " has turn " + openTurnId + " in progress");
        this.conversationId = conversationId;
        this.openTurnId = openTurnId;
        this.runnerId = runnerId;
    }

    public UUID conversationId() {
        return conversationId;
    }

    public UUID openTurnId() {
        return openTurnId;
    }

    public UUID runnerId() {
        return runnerId;
    }
}
