package io.convtrail.command.engine.step;

import io.convtrail.command.engine.ConditionCheck;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.tool.ToolInvoker;
import io.convtrail.command.flow.FlowDefinition.ToolDef;

import java.util.List;

/** Calls every tool whose trigger condition holds for the turn, in the order the flow declares them. */
public class ToolOrchestrationStep implements EngineStep {

    private final ToolInvoker tools;

    public ToolOrchestrationStep(ToolInvoker tools) {
        this.tools = tools;
    }

    @Override
    public StepOutcome run(TurnSession session) {
        List<ToolDef> due = session.flow().tools().stream()
                .filter(t -> t.when() != null && ConditionCheck.holds(t.when(), session)).toList();
        for (ToolDef tool : due) {
            tools.invoke(tool, this, session);
        }
        return StepOutcome.Continue;
    }
}
