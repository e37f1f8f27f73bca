package io.convtrail.command.engine;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.ErrorPayload;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.turn.ConversationEngine;
import io.convtrail.command.turn.FlowIdentity;
import io.convtrail.command.turn.TurnInput;
import io.convtrail.command.turn.TurnJournal;
import io.convtrail.command.turn.TurnResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a turn through the flow's pipeline. The deciding steps run in order until one stops (a reset
 * or a policy block has decided the answer); the finishing steps (answer, persist, timing) always
 * run. A step that throws ends the turn as failed: the conversation keeps the state the turn found.
 */
public class FlowEngine implements ConversationEngine {

    private final FlowDefinition flow;
    private final List<EngineStep> deciding;
    private final List<EngineStep> finishing;
    private final StepRunner runner = new StepRunner();

    public FlowEngine(FlowDefinition flow, List<EngineStep> deciding, List<EngineStep> finishing) {
        this.flow = flow;
        this.deciding = List.copyOf(deciding);
        this.finishing = List.copyOf(finishing);
    }

    @Override
    public FlowIdentity flow() {
        return new FlowIdentity(flow.id(), flow.contentHash());
    }

    @Override
    public TurnResult run(TurnInput input, TurnJournal journal) {
        TurnSession session = new TurnSession(flow, input, journal);
        try {
            for (EngineStep step : deciding) {
                if (runner.run(step, session) == StepOutcome.Stop) {
                    break;
                }
            }
            for (EngineStep step : finishing) {
                runner.run(step, session);
            }
            return new TurnResult(session.outcome(), session.intent(), session.state(), session.slots(),
                    session.context(), session.answer());
        } catch (EngineFailure e) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("errorCode", e.errorCode());
            fields.put("message", e.getMessage());
            fields.put("recoverable", e.recoverable());
            session.stage(Stage.ENGINE_KNOWN_FAILURE, fields);
            return TurnResult.failed(input.conversation(), new ErrorPayload(e.errorCode(), e.getMessage(),
                    e.recoverable()));
        } catch (RuntimeException e) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("exception", e.getClass().getName());
            fields.put("message", String.valueOf(e.getMessage()));
            fields.put("recoverable", false);
            session.stage(Stage.ENGINE_UNKNOWN_FAILURE, fields);
            return TurnResult.failed(input.conversation(), new ErrorPayload(null, String.valueOf(e.getMessage()),
                    false));
        }
    }

}
