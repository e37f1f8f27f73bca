package io.convtrail.command.aggregate;

import java.util.UUID;

/** Records were sent for a turn that is not the conversation's open turn (closed or abandoned). */
public class TurnNotOpenException extends RuntimeException {

    public TurnNotOpenException(UUID conversationId, UUID turnId) {
        super("turn " + turnId + " is not open on conversation " + conversationId);
    }
}
