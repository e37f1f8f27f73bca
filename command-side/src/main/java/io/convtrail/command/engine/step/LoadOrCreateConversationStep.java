package io.convtrail.command.engine.step;

import io.convtrail.api.command.ConversationView;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;

/**
 * Puts the conversation as the aggregate handed it to the turn into the session. The aggregate has
 * already created a new conversation when StartTurnCommand opened the turn; a new one starts in the
 * flow's initial state.
 */
public class LoadOrCreateConversationStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        ConversationView view = session.input().conversation();
        session.moveTo(view.intent(), view.state() == null ? session.flow().initialState() : view.state());
        session.restore(view.slots(), view.context());
        return StepOutcome.Continue;
    }
}
