package io.convtrail.command.turn;

import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.TurnOutcome;
import io.convtrail.api.rest.ConversationResponse.ResponsePayload;
import io.convtrail.api.rest.ErrorPayload;

import java.util.Map;

/**
 * How the engine leaves the conversation after a turn, and what it answers. A failed turn leaves
 * the conversation as the turn found it and answers with {@code error}.
 */
public record TurnResult(
        TurnOutcome outcome,
        String intent,
        String state,
        Map<String, Object> slots,
        Map<String, Object> context,
        ResponsePayload payload,
        ErrorPayload error) {

    public TurnResult(TurnOutcome outcome, String intent, String state, Map<String, Object> slots,
                      Map<String, Object> context, ResponsePayload payload) {
        this(outcome, intent, state, slots, context, payload, null);
    }

    public static TurnResult failed(ConversationView unchanged, ErrorPayload error) {
        return new TurnResult(TurnOutcome.FAILED, unchanged.intent(), unchanged.state(), unchanged.slots(),
                unchanged.context(), null, error);
    }

    public boolean success() {
        return outcome == TurnOutcome.ANSWERED || outcome == TurnOutcome.BLOCKED;
    }
}
