package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession.PreparedAnswer;
import io.convtrail.command.engine.TurnSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the conversation over when asked ({@code reset: true}, or a reset keyword as the whole
 * message). A reset with a real message goes on to answer it; a bare reset is answered here.
 */
public class ResetConversationStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        boolean keyword = session.flow().reset().isResetText(session.message());
        if (!session.input().reset() && !keyword) {
            return StepOutcome.Continue;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reason", session.input().reset() ? "RESET_FLAG" : "RESET_KEYWORD");
        fields.put("previousIntent", session.intent());
        fields.put("previousState", session.state());
        session.moveTo(null, session.flow().initialState());
        session.restore(Map.of(), Map.of());
        session.record().stage(Stage.CONVERSATION_RESET, fields);
        session.record().progress(this, "CONVERSATION_RESET", null, Map.of());
        if (session.message() == null || keyword) {
            session.prepare(new PreparedAnswer("reset", "RESET", session.render(session.flow().reset().response(),
                    Map.of())), TurnOutcome.ANSWERED);
            return StepOutcome.Stop;
        }
        return StepOutcome.Continue;
    }
}
