package io.convtrail.command.engine;

import io.convtrail.command.flow.FlowDefinition.Condition;

import java.util.Objects;

/** Evaluates a flow condition (rule or tool trigger) against the turn as it stands. */
public final class ConditionCheck {

    private ConditionCheck() {
    }

    public static boolean holds(Condition condition, TurnSession session) {
        return (condition.intent() == null || Objects.equals(condition.intent(), session.intent()))
                && (condition.state() == null || Objects.equals(condition.state(), session.state()))
                && (condition.schemaComplete() == null
                    || condition.schemaComplete() == (session.schema().active() && session.schema().complete()))
                && (condition.input() == null
                    || (session.message() != null && condition.input().matcher(session.message()).find()));
    }
}
