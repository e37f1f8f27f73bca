package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.TurnSession.Transition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks the state changes rules made this turn against the flow's allowed transitions. A change the
 * graph does not allow is recorded and undone, so a wrong rule cannot move a conversation somewhere
 * the flow never meant it to be.
 */
public class StateGraphStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        for (Transition t : session.transitions()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("ruleId", t.ruleId());
            fields.put("fromState", t.fromState());
            fields.put("toState", t.toState());
            if (session.flow().allowsTransition(t.fromState(), t.toState())) {
                session.record().stage(Stage.STATE_GRAPH_VALID, fields);
            } else {
                session.setState(t.fromState());
                fields.put("keptState", t.fromState());
                session.record().stage(Stage.STATE_GRAPH_VIOLATION, fields);
                break;
            }
        }
        return StepOutcome.Continue;
    }
}
