package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records how the turn leaves the conversation. The write itself is the turn's CompleteTurnCommand
 * (sent by the turn service with these values), so the state change and this record commit together.
 */
public class PersistConversationStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("intent", session.intent());
        fields.put("state", session.state());
        fields.put("outcome", session.outcome().name());
        fields.put("flowId", session.flow().id());
        fields.put("flowVersion", session.flow().version());
        fields.put("flowHash", session.flow().contentHash());
        session.record().stage(Stage.ENGINE_RETURN, fields);
        return StepOutcome.Continue;
    }
}
