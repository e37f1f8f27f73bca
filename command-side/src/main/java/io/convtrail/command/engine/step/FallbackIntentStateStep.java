package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;

import java.util.LinkedHashMap;
import java.util.Map;

/** Gives a turn that no intent claimed the flow's fallback intent and state, so it still gets an answer. */
public class FallbackIntentStateStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        if (session.intent() == null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("fallbackIntent", session.flow().fallback().intent());
            fields.put("fallbackState", session.flow().fallback().state());
            session.record().stage(Stage.INTENT_MISSING, fields);
            session.moveTo(session.flow().fallback().intent(), session.flow().fallback().state());
            session.record().progress(this, "INTENT_MISSING", null, Map.of());
        } else if (session.state() == null) {
            session.record().stage(Stage.STATE_MISSING, StageFields.of("fallbackState", session.flow().fallback().state()));
            session.setState(session.flow().fallback().state());
        }
        return StepOutcome.Continue;
    }
}
