package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackIntentStateStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void aTurnWithoutIntentGetsTheFallback() {
        TurnSession session = turn.session("tell me a joke", null, "ANSWERED");

        new FallbackIntentStateStep().run(session);

        assertThat(session.intent()).isEqualTo("UNKNOWN");
        assertThat(session.state()).isEqualTo("IDLE");
        assertThat(turn.stages()).containsExactly(Stage.INTENT_MISSING);
        assertThat(turn.verbose()).extracting(v -> v.text())
                .containsExactly("I could not match that to anything I can help with.");
    }

    @Test
    void aTurnWithIntentAndStateIsLeftAlone() {
        TurnSession session = turn.session("yes", "LOAN_APPLICATION", "CONFIRMING");

        new FallbackIntentStateStep().run(session);

        assertThat(session.intent()).isEqualTo("LOAN_APPLICATION");
        assertThat(turn.stages()).isEmpty();
    }
}
