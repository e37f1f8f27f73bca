package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.tool.ToolInvoker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RulesStepTest {

    private final StepFixture turn = new StepFixture();
    private final RulesStep rules = new RulesStep(new ToolInvoker(List.of()));

    @Test
    void theFirstMatchingRuleAppliesItsActionsInOrder() {
        TurnSession session = turn.session(StepFixture.DEMO, "yes please", false, new ConversationView(5,
                "LOAN_APPLICATION", "CONFIRMING", Map.of("amount", 15000L, "termMonths", "36"), Map.of()));

        rules.run(session);

        assertThat(session.state()).isEqualTo("COMPLETED");
        assertThat(session.slots()).containsEntry("reference", "LN-15000-36");
        assertThat(session.transitions()).extracting(t -> t.fromState() + ">" + t.toState())
                .containsExactly("CONFIRMING>COMPLETED");
        assertThat(turn.stages()).containsExactly(Stage.RULE_MATCH, Stage.SET_STATE, Stage.SET_SLOT, Stage.RULE_APPLIED);
        assertThat(turn.payload(Stage.RULE_MATCH).get("ruleId").asText()).isEqualTo("applicant-confirms");
        assertThat(turn.verbose()).extracting(v -> v.ruleId() + ":" + v.text())
                .containsExactly("applicant-confirms:Submitting your application to the loan desk.");
    }

    @Test
    void noMatchingRuleIsRecorded() {
        TurnSession session = turn.session("maybe later", "LOAN_APPLICATION", "CONFIRMING");

        rules.run(session);

        assertThat(session.state()).isEqualTo("CONFIRMING");
        assertThat(turn.stages()).containsExactly(Stage.RULE_NO_MATCH);
    }
}
