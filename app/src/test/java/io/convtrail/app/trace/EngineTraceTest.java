package io.convtrail.app.trace;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.convtrail.app.trace.TraceEndpointTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Turns run by the flow engine over HTTP: the trace's steps are exactly the STEP_ENTER / STEP_EXIT
 * pairs of the raw audit, with the engine's real step classes and source files, grouped by turn.
 */
@ConvtrailIntegrationTest
class EngineTraceTest {

    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void traceStepsAreTheAuditsStepBracketsGroupedByTurn() throws Exception {
        RestClient http = LocalApi.strict(port);
        UUID id = UUID.randomUUID();
        for (String message : List.of("What are your interest rates?", "I want to apply for a loan")) {
            http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"conversationId\":\"" + id + "\",\"message\":\"" + message + "\"}").retrieve().toBodilessEntity();
        }
        JsonNode[] audit = new JsonNode[1];
        JsonNode[] trace = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            trace[0] = http.get().uri("/api/v1/conversation/audit/{id}/trace", id).retrieve().body(JsonNode.class);
            audit[0] = http.get().uri("/api/v1/conversation/audit/{id}", id).retrieve().body(JsonNode.class);
            return texts(trace[0].get("turns"), "status").equals(List.of("COMPLETED", "COMPLETED"))
                    && trace[0].get("stages").size() == audit[0].size()
                    && audit[0].findValuesAsText("stage").stream().filter("PIPELINE_TIMING"::equals).count() == 2;
        });

        List<JsonNode> enters = new ArrayList<>();
        List<JsonNode> exits = new ArrayList<>();
        for (JsonNode row : audit[0]) {
            JsonNode payload = json.readTree(row.get("payloadJson").asText());
            switch (row.get("stage").asText()) {
                case "STEP_ENTER" -> enters.add(payload);
                case "STEP_EXIT" -> exits.add(payload);
                default -> { }
            }
        }
        JsonNode steps = trace[0].get("steps");
        assertThat(enters).isNotEmpty();
        assertThat(steps).hasSize(enters.size());
        for (int i = 0; i < enters.size(); i++) {
            JsonNode step = steps.get(i);
            assertThat(step.get("step").asText()).isEqualTo(enters.get(i).get("step").asText());
            assertThat(step.get("stepClass").asText()).isEqualTo(enters.get(i).get("stepClass").asText())
                    .startsWith("io.convtrail.command.engine.step.");
            assertThat(step.get("sourceFile").asText()).isEqualTo(step.get("step").asText() + ".java");
            // steps of the engine do not nest: the i-th exit closes the i-th enter
            assertThat(step.get("status").asText()).isEqualTo("OK");
            assertThat(step.get("durationMs").asLong()).isEqualTo(exits.get(i).get("durationMs").asLong());
        }
        List<String> stagesInSteps = new ArrayList<>();
        steps.forEach(step -> stagesInSteps.addAll(texts(step.get("stages"), "stage")));
        assertThat(stagesInSteps).contains("USER_INPUT", "INTENT_RESOLVED_BY_CLASSIFIER", "ASSISTANT_OUTPUT")
                .doesNotContain("STEP_ENTER", "STEP_EXIT");

        JsonNode turns = trace[0].get("turns");
        assertThat(texts(turns, "userText")).containsExactly("What are your interest rates?", "I want to apply for a loan");
        assertThat(texts(turns, "intent")).containsExactly("FAQ_RATES", "LOAN_APPLICATION");
        assertThat(turns.get(0).get("steps").size() + turns.get(1).get("steps").size()).isEqualTo(steps.size());
        assertThat(texts(turns.get(0).get("steps"), "step")).startsWith("LoadOrCreateConversationStep", "AuditUserInputStep")
                .endsWith("PipelineEndGuardStep");
    }
}
