package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;

import java.util.LinkedHashMap;
import java.util.Map;

/** Records what the user sent, as the first fact of the turn's decisions. */
public class AuditUserInputStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("text", session.message());
        fields.put("reset", session.input().reset());
        fields.put("inputParams", session.input().inputParams());
        session.record().stage(Stage.USER_INPUT, fields);
        return StepOutcome.Continue;
    }
}
