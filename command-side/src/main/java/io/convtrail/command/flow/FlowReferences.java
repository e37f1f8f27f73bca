package io.convtrail.command.flow;

import io.convtrail.command.flow.FlowDefinition.Condition;
import io.convtrail.command.flow.FlowDefinition.IntentDef;
import io.convtrail.command.flow.FlowDefinition.ResponseDef;
import io.convtrail.command.flow.FlowDefinition.RuleAction;
import io.convtrail.command.flow.FlowDefinition.RuleDef;
import io.convtrail.command.flow.FlowDefinition.ToolDef;

import java.util.HashSet;
import java.util.Set;

/** Checks that every name a flow uses (state, intent, tool, id) is declared, naming the path that uses it. */
final class FlowReferences {

    private final String file;
    private final Set<String> states;

    private FlowReferences(String file, Set<String> states) {
        this.file = file;
        this.states = states;
    }

    static void check(String file, FlowDefinition flow) {
        new FlowReferences(file, flow.states().keySet()).check(flow);
    }

    private void check(FlowDefinition flow) {
        state("initialState", flow.initialState());
        state("fallback.state", flow.fallback().state());
        flow.transitions().forEach((from, targets) -> {
            String at = "transitions." + from;
            state(at, from);
            targets.forEach(to -> state(at, to));
        });

        Set<String> intents = new HashSet<>();
        for (int i = 0; i < flow.intents().size(); i++) {
            IntentDef intent = flow.intents().get(i);
            String at = "intents[" + i + "]";
            unique(at + ".code", intents, intent.code(), "intent");
            state(at + ".initialState", intent.initialState());
            if (intent.schema() != null) {
                state(at + ".schema.state", intent.schema().state());
                Set<String> slots = new HashSet<>();
                for (int s = 0; s < intent.schema().slots().size(); s++) {
                    unique(at + ".schema.slots[" + s + "].name", slots, intent.schema().slots().get(s).name(), "slot");
                }
            }
        }
        intents.add(flow.fallback().intent());

        Set<String> tools = new HashSet<>();
        for (int t = 0; t < flow.tools().size(); t++) {
            ToolDef tool = flow.tools().get(t);
            unique("tools[" + t + "].code", tools, tool.code(), "tool");
            condition("tools[" + t + "].when", tool.when(), intents);
        }

        Set<String> ruleIds = new HashSet<>();
        for (int r = 0; r < flow.rules().size(); r++) {
            RuleDef rule = flow.rules().get(r);
            String at = "rules[" + r + "]";
            unique(at + ".id", ruleIds, rule.id(), "rule");
            condition(at + ".when", rule.when(), intents);
            for (int a = 0; a < rule.then().size(); a++) {
                String actionAt = at + ".then[" + a + "]";
                RuleAction action = rule.then().get(a);
                if (action instanceof RuleAction.SetState s) {
                    state(actionAt + ".setState", s.state());
                } else if (action instanceof RuleAction.SetIntent s) {
                    known(actionAt + ".setIntent", s.intent(), intents, "intent");
                } else if (action instanceof RuleAction.CallTool c) {
                    known(actionAt + ".callTool", c.tool(), tools, "tool");
                }
            }
        }

        Set<String> responseIds = new HashSet<>();
        for (int r = 0; r < flow.responses().size(); r++) {
            ResponseDef response = flow.responses().get(r);
            String at = "responses[" + r + "]";
            unique(at + ".id", responseIds, response.id(), "response");
            known(at + ".intent", response.intent(), intents, "intent");
            if (response.state() != null) {
                state(at + ".state", response.state());
            }
        }
    }

    private void condition(String at, Condition condition, Set<String> intents) {
        if (condition == null) {
            return;
        }
        if (condition.intent() != null) {
            known(at + ".intent", condition.intent(), intents, "intent");
        }
        if (condition.state() != null) {
            state(at + ".state", condition.state());
        }
    }

    private void state(String at, String state) {
        known(at, state, states, "state");
    }

    private void known(String at, String name, Set<String> declared, String what) {
        if (!declared.contains(name)) {
            throw new FlowDefinitionException(file, at, "unknown " + what + " '" + name + "'; declared: " + declared);
        }
    }

    private void unique(String at, Set<String> seen, String name, String what) {
        if (!seen.add(name)) {
            throw new FlowDefinitionException(file, at, what + " '" + name + "' is declared twice");
        }
    }
}
