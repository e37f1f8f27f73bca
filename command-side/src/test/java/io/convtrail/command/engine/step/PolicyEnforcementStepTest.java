package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEnforcementStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void aCardNumberIsBlockedWithoutKeepingItInTheBlockRecord() {
        TurnSession session = turn.session("my card is 4111 1111 1111 1111", "LOAN_APPLICATION", "COLLECTING");

        assertThat(new PolicyEnforcementStep().run(session)).isEqualTo(StepOutcome.Stop);

        assertThat(session.outcome()).isEqualTo(TurnOutcome.BLOCKED);
        assertThat(session.state()).isEqualTo("COLLECTING");
        assertThat(session.prepared().text()).startsWith("For your safety");
        assertThat(turn.payload(Stage.POLICY_BLOCK).get("policyId").asText()).isEqualTo("no-card-numbers");
        assertThat(turn.payload(Stage.POLICY_BLOCK).toString()).doesNotContain("4111");
        assertThat(turn.verbose()).extracting(v -> v.text())
                .containsExactly("Your message was blocked by policy no-card-numbers.");
    }

    @Test
    void anAmountIsNotACardNumber() {
        TurnSession session = turn.session("15000 over 36 months", "LOAN_APPLICATION", "COLLECTING");

        assertThat(new PolicyEnforcementStep().run(session)).isEqualTo(StepOutcome.Continue);
        assertThat(turn.stages()).isEmpty();
    }
}
