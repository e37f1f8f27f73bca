package io.convtrail.api.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bracket read from its payload's text is the bracket the tree read gives, whatever the payload holds. */
class StreamedBracketsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Stage> BRACKETS = List.of(Stage.STEP_ENTER, Stage.STEP_EXIT, Stage.STEP_ERROR);

    @Test
    void theBracketsTheEngineWritesAreReadWithoutATreeAndAsTheTreeReadsThem() throws Exception {
        StagePayloads payloads = new StagePayloads(JSON);
        UUID conversation = UUID.fromString("9bf7540a-b129-4685-a120-730e8a0cb94b");
        Instant at = Instant.parse("2026-11-24T05:00:00.123456Z");
        List<StepBracket> written = List.of(
                new StepBracket.Enter("RulesStep", "x.RulesStep", "RulesStep.java"),
                new StepBracket.Exit("RulesStep", "x.RulesStep", "RulesStep.java", "Continue", 12L),
                new StepBracket.Error("ToolStep", "x.ToolStep$Inner", "ToolStep.java", 51L, "IllegalStateException",
                        "rule \"table\" missing\n\tat x.ToolStep — ünïcödé"),
                new StepBracket.Exit("RulesStep", null, null, null, null));
        for (StepBracket bracket : written) {
            String payload = payloads.write(new StageMeta(bracket.stage(), conversation, null, at, "FAQ", "IDLE"),
                    bracket);
            StepBracket streamed = StreamedBrackets.read(bracket.stage(), payload, JSON.getFactory());
            assertThat(streamed).isEqualTo(bracket)
                    .isEqualTo(StepBracket.read(bracket.stage(), JSON.readTree(payload)));
        }
    }

    @Test
    void whatTheTreeReadTakesLenientlyOrLeavesOutReadsTheSame() throws Exception {
        List<String> payloads = List.of(
                "{}",
                "{\"step\":\"A\",\"durationMs\":\"12\",\"stepClass\":null}",
                "{\"step\":\"A\",\"durationMs\":\" 12 \"}",
                "{\"durationMs\":\"soon\",\"outcome\":\"Stop\",\"errorType\":\"E\",\"errorMessage\":\"m\"}",
                "{\"_meta\":{\"stage\":\"STEP_EXIT\",\"step\":\"Inner\",\"durationMs\":3},\"step\":\"Outer\"}",
                "{\"_meta\":[1,{\"step\":\"x\"}],\"other\":{\"step\":\"y\"},\"step\":\"z\"}",
                "{\"step\":\"first\",\"step\":\"second\",\"durationMs\":1,\"durationMs\":null}",
                "{\"step\":\"first\",\"step\":null}",
                "{\"step\":12,\"stepClass\":true,\"sourceFile\":1.5}",
                "{\"step\":{\"name\":\"A\"},\"sourceFile\":[\"a\"]}",
                "{\"durationMs\":1.7}",
                "{\"durationMs\":99999999999999999999999}",
                "{\"durationMs\":-4,\"outcome\":null}",
                "{\"durationMs\":true}",
                "[\"step\"]",
                "\"step\"",
                "17",
                "null",
                "",
                "{\"step\":\"A\"} trailing",
                "{\"step\":\"A\\u00e9\\\"\"}");
        for (String payload : payloads) {
            for (Stage stage : BRACKETS) {
                assertThat(StepBracket.read(stage, payload, JSON)).as(stage + " " + payload)
                        .isEqualTo(StepBracket.read(stage, JSON.readTree(payload)));
            }
        }
    }

    @Test
    void aPayloadThatIsNotJsonFailsAsTheTreeReadFails() {
        for (String payload : List.of("{\"step\":", "{step:\"A\"}", "{\"step\":\"A\",}")) {
            assertThatThrownBy(() -> JSON.readTree(payload)).isInstanceOf(Exception.class);
            assertThatThrownBy(() -> StepBracket.read(Stage.STEP_EXIT, payload, JSON))
                    .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        }
    }
}
