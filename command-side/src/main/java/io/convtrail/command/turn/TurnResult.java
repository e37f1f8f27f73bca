package io.convtrail.command.turn;

import io.convtrail.api.command.TurnOutcome;
import io.convtrail.api.rest.ConversationResponse.ResponsePayload;

import java.util.Map;

/** How the engine leaves the conversation after a turn, and what it answers. */
public record TurnResult(
        TurnOutcome outcome,
        String intent,
        String state,
        Map<String, Object> slots,
        Map<String, Object> context,
        ResponsePayload payload) {

    public boolean success() {
        return outcome == TurnOutcome.ANSWERED || outcome == TurnOutcome.BLOCKED;
    }
}
