package io.convtrail.command.engine.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.StepRunner;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineEndGuardStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void recordsTheTotalAndEachStepsDuration() {
        TurnSession session = turn.session("hi", null, "IDLE");
        new StepRunner().run(new AuditUserInputStep(), session);

        new PipelineEndGuardStep().run(session);

        JsonNode timing = turn.payload(Stage.PIPELINE_TIMING);
        assertThat(timing.get("totalMs").isIntegralNumber()).isTrue();
        assertThat(timing.get("steps").get(0).get("step").asText()).isEqualTo("AuditUserInputStep");
        assertThat(timing.get("steps")).hasSize(1);
    }
}
