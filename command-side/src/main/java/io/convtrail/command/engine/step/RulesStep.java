package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.ConditionCheck;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.TurnSession.Transition;
import io.convtrail.command.engine.tool.ToolInvoker;
import io.convtrail.command.flow.FlowDefinition.RuleAction;
import io.convtrail.command.flow.FlowDefinition.RuleDef;
import io.convtrail.command.flow.FlowDefinition.ToolDef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the first rule, in flow order, whose condition holds. One rule per turn keeps a flow
 * readable: a rule's effects cannot trigger another rule in the same turn.
 */
public class RulesStep implements EngineStep {

    private final ToolInvoker tools;

    public RulesStep(ToolInvoker tools) {
        this.tools = tools;
    }

    @Override
    public StepOutcome run(TurnSession session) {
        Optional<RuleDef> match = session.flow().rules().stream()
                .filter(r -> ConditionCheck.holds(r.when(), session)).findFirst();
        if (match.isEmpty()) {
            session.record().stage(Stage.RULE_NO_MATCH, StageFields.of("rulesEvaluated", session.flow().rules().size()));
            return StepOutcome.Continue;
        }
        RuleDef rule = match.get();
        session.record().stage(Stage.RULE_MATCH, StageFields.of("ruleId", rule.id()));
        for (RuleAction action : rule.then()) {
            apply(rule.id(), action, session);
        }
        session.record().stage(Stage.RULE_APPLIED, StageFields.of("ruleId", rule.id(), "actions", rule.then().size()));
        session.record().progress(this, "RULE_APPLIED", rule.id(), Map.of());
        return StepOutcome.Continue;
    }

    private void apply(String ruleId, RuleAction action, TurnSession session) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ruleId", ruleId);
        if (action instanceof RuleAction.SetState set) {
            fields.put("fromState", session.state());
            fields.put("toState", set.state());
            session.transitions().add(new Transition(ruleId, session.state(), set.state()));
            session.setState(set.state());
            session.record().stage(Stage.SET_STATE, fields);
        } else if (action instanceof RuleAction.SetIntent set) {
            fields.put("fromIntent", session.intent());
            fields.put("toIntent", set.intent());
            session.moveTo(set.intent(), session.state());
            session.record().stage(Stage.SET_INTENT, fields);
        } else if (action instanceof RuleAction.SetSlot set) {
            String value = session.render(set.value(), Map.of());
            session.slots().put(set.name(), value);
            fields.put("slot", set.name());
            fields.put("value", value);
            session.record().stage(Stage.SET_SLOT, fields);
        } else if (action instanceof RuleAction.CallTool call) {
            fields.put("toolCode", call.tool());
            session.record().stage(Stage.CALL_TOOL, fields);
            ToolDef tool = session.flow().tools().stream().filter(t -> t.code().equals(call.tool())).findFirst()
                    .orElseThrow();
            tools.invoke(tool, this, session);
        }
    }
}
