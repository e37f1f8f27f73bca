package io.convtrail.command.flow;

import io.convtrail.command.flow.FlowDefinition.Condition;
import io.convtrail.command.flow.FlowDefinition.IntentDef;
import io.convtrail.command.flow.FlowDefinition.RuleAction;
import io.convtrail.command.flow.FlowDefinition.RuleDef;
import io.convtrail.command.flow.FlowDefinition.SlotDef;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks that every name a flow uses (state, intent, tool, id) is declared, naming the path that uses it. */
final class FlowReferences {

    private FlowReferences() {
    }

    static void check(YamlNode root, FlowDefinition flow) {
        Set<String> states = flow.states().keySet();
        state(root.field("initialState"), flow.initialState(), states);
        state(root.field("fallback").field("state"), flow.fallback().state(), states);
        flow.transitions().forEach((from, targets) -> {
            YamlNode at = root.field("transitions").field(from);
            state(at, from, states);
            targets.forEach(to -> state(at, to, states));
        });

        Set<String> intents = new HashSet<>();
        List<YamlNode> intentNodes = root.list("intents");
        for (int i = 0; i < flow.intents().size(); i++) {
            IntentDef intent = flow.intents().get(i);
            YamlNode at = intentNodes.get(i);
            unique(at.field("code"), intents, intent.code(), "intent");
            state(at.field("initialState"), intent.initialState(), states);
            if (intent.schema() != null) {
                state(at.field("schema").field("state"), intent.schema().state(), states);
                Set<String> slots = new HashSet<>();
                List<YamlNode> slotNodes = at.field("schema").list("slots");
                for (int s = 0; s < intent.schema().slots().size(); s++) {
                    SlotDef slot = intent.schema().slots().get(s);
                    unique(slotNodes.get(s).field("name"), slots, slot.name(), "slot");
                }
            }
        }
        intents.add(flow.fallback().intent());

        Set<String> tools = new HashSet<>();
        List<YamlNode> toolNodes = root.list("tools");
        for (int t = 0; t < flow.tools().size(); t++) {
            unique(toolNodes.get(t).field("code"), tools, flow.tools().get(t).code(), "tool");
            condition(toolNodes.get(t).field("when"), flow.tools().get(t).when(), intents, states);
        }

        Set<String> ruleIds = new HashSet<>();
        List<YamlNode> ruleNodes = root.list("rules");
        for (int r = 0; r < flow.rules().size(); r++) {
            RuleDef rule = flow.rules().get(r);
            YamlNode at = ruleNodes.get(r);
            unique(at.field("id"), ruleIds, rule.id(), "rule");
            condition(at.field("when"), rule.when(), intents, states);
            List<YamlNode> actionNodes = at.list("then");
            for (int a = 0; a < rule.then().size(); a++) {
                YamlNode actionAt = actionNodes.get(a);
                RuleAction action = rule.then().get(a);
                if (action instanceof RuleAction.SetState s) {
                    state(actionAt.field("setState"), s.state(), states);
                } else if (action instanceof RuleAction.SetIntent s) {
                    known(actionAt.field("setIntent"), s.intent(), intents, "intent");
                } else if (action instanceof RuleAction.CallTool c) {
                    known(actionAt.field("callTool"), c.tool(), tools, "tool");
                }
            }
        }

        Set<String> responseIds = new HashSet<>();
        List<YamlNode> responseNodes = root.list("responses");
        for (int r = 0; r < flow.responses().size(); r++) {
            YamlNode at = responseNodes.get(r);
            unique(at.field("id"), responseIds, flow.responses().get(r).id(), "response");
            known(at.field("intent"), flow.responses().get(r).intent(), intents, "intent");
            if (flow.responses().get(r).state() != null) {
                state(at.field("state"), flow.responses().get(r).state(), states);
            }
        }
    }

    private static void condition(YamlNode at, Condition condition, Set<String> intents, Set<String> states) {
        if (condition == null) {
            return;
        }
        if (condition.intent() != null) {
            known(at.field("intent"), condition.intent(), intents, "intent");
        }
        if (condition.state() != null) {
            state(at.field("state"), condition.state(), states);
        }
    }

    private static void state(YamlNode at, String state, Set<String> states) {
        known(at, state, states, "state");
    }

    private static void known(YamlNode at, String name, Set<String> declared, String what) {
        if (!declared.contains(name)) {
            throw at.fail("unknown " + what + " '" + name + "'; declared: " + declared);
        }
    }

    private static void unique(YamlNode at, Set<String> seen, String name, String what) {
        if (!seen.add(name)) {
            throw at.fail(what + " '" + name + "' is declared twice");
        }
    }
}
