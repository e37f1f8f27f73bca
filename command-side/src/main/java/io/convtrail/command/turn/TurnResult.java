package io.convtrail.command.turn;

import io.convtrail.api.command.ConversationState;
import io.convtrail.api.event.TurnOutcome;

/**
 * What the turn service answers: how the engine leaves the conversation after a turn, and its answer.
 * A failed turn leaves the conversation as the turn found it and carries an {@code error} instead.
 * Knows nothing of HTTP: the message endpoint maps it to ConvEngine's body.
 */
public record TurnResult(TurnOutcome outcome, ConversationState conversation, Answer answer, TurnError error) {

    public static TurnResult answered(TurnOutcome outcome, ConversationState conversation, Answer answer) {
        return new TurnResult(outcome, conversation, answer, null);
    }

    public static TurnResult failed(ConversationState unchanged, TurnError error) {
        return new TurnResult(TurnOutcome.FAILED, unchanged, null, error);
    }

    public boolean success() {
        return outcome == TurnOutcome.ANSWERED || outcome == TurnOutcome.BLOCKED;
    }
}
