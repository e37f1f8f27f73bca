package io.convtrail.command.engine;

import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.turn.ConversationEngine;
import io.convtrail.command.turn.FlowIdentity;
import io.convtrail.command.turn.TurnInput;
import io.convtrail.command.turn.TurnJournal;
import io.convtrail.command.turn.TurnResult;

import java.util.List;

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
            return TurnResult.answered(session.outcome(), session.conversation(), session.answer());
        } catch (RuntimeException e) {
            return session.record().failed(e);
        }
    }
}
