package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession.PreparedAnswer;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.flow.FlowDefinition.PolicyDef;

import java.util.Map;

/**
 * Refuses input that matches one of the flow's policy patterns. The refusal is recorded (which
 * policy, not the offending text, so the audit does not keep what the policy protects against)
 * and answered with the policy's message; the conversation's intent and state stay as they were.
 */
public class PolicyEnforcementStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        if (session.message() == null) {
            return StepOutcome.Continue;
        }
        for (PolicyDef policy : session.flow().policies()) {
            if (policy.pattern().matcher(session.message()).find()) {
                session.record().stage(Stage.POLICY_BLOCK, StageFields.of("policyId", policy.id(),
                        "reason", "the input matches the policy's pattern"));
                session.record().progress(this, "POLICY_BLOCK", null, Map.of("policyId", policy.id()));
                session.prepare(new PreparedAnswer("policy:" + policy.id(), "POLICY",
                        session.render(policy.message(), Map.of())), TurnOutcome.BLOCKED);
                return StepOutcome.Stop;
            }
        }
        return StepOutcome.Continue;
    }
}
