package io.convtrail.command.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.command.engine.step.AuditUserInputStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepRunnerTest {

    private final StepFixture turn = new StepFixture();
    private final StepRunner runner = new StepRunner();

    @Test
    void bracketsAStepWithEnterAndExitNamingItsClassAndSourceFile() {
        StepOutcome outcome = runner.run(new AuditUserInputStep(), turn.session("hi", null, "IDLE"));

        assertThat(outcome).isEqualTo(StepOutcome.Continue);
        assertThat(turn.stages()).containsExactly(Stage.STEP_ENTER, Stage.USER_INPUT, Stage.STEP_EXIT);
        JsonNode exit = turn.payload(Stage.STEP_EXIT);
        assertThat(exit.get("step").asText()).isEqualTo("AuditUserInputStep");
        assertThat(exit.get("stepClass").asText()).isEqualTo("io.convtrail.command.engine.step.AuditUserInputStep");
        assertThat(exit.get("sourceFile").asText()).isEqualTo("AuditUserInputStep.java");
        assertThat(exit.get("outcome").asText()).isEqualTo("Continue");
        assertThat(exit.get("durationMs").isIntegralNumber()).isTrue();
        assertThat(turn.payload(Stage.STEP_ENTER).get("_meta").get("stage").asText()).isEqualTo("STEP_ENTER");
    }

    @Test
    void aFailingStepGetsStepErrorAndTheErrorGoesOn() {
        EngineStep failing = new FailingStep();

        assertThatThrownBy(() -> runner.run(failing, turn.session("hi", null, "IDLE")))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(turn.stages()).containsExactly(Stage.STEP_ENTER, Stage.STEP_ERROR);
        JsonNode error = turn.payload(Stage.STEP_ERROR);
        assertThat(error.get("step").asText()).isEqualTo("FailingStep");
        assertThat(error.get("sourceFile").asText()).isEqualTo("StepRunnerTest.java");
        assertThat(error.get("errorType").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(error.get("errorMessage").asText()).isEqualTo("boom");
        assertThat(error.has("durationMs")).isTrue();
        assertThat(List.of(error.fieldNames().next())).containsExactly("_meta");
    }

    private static final class FailingStep implements EngineStep {
        @Override
        public StepOutcome run(TurnSession session) {
            throw new IllegalStateException("boom");
        }
    }
}
