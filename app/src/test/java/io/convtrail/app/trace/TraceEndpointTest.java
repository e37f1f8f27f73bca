package io.convtrail.app.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace endpoint over the trace projection, fed through the real aggregate and event store with
 * the step brackets an engine records.
 */
@ConvtrailIntegrationTest
class TraceEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    RestClient http;

    @BeforeEach
    void client() {
        http = LocalApi.client(port);
    }

    @Test
    void stepsPairStepEnterWithItsExitAndTurnsGroupThem() {
        ScriptedConversation c = new ScriptedConversation(commands)
                .turn("I need a loan")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "I need a loan"))
                .exit("AuditUserInputStep", 3)
                .enter("RulesStep")
                .enter("McpToolStep").stage(Stage.MCP_TOOL_CALL, Map.of("tool", "credit")).flush()
                .stage(Stage.MCP_TOOL_RESULT, Map.of("rating", "A")).exit("McpToolStep", 40)
                .stage(Stage.SET_STATE, Map.of("state", "OFFER"))
                .error("RulesStep", 51, "rule table missing")
                .stage(Stage.ASSISTANT_OUTPUT, Map.of("output", "Here is an offer"))
                .complete("LOAN", "OFFER")
                .turn("thanks")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "thanks")).flush();

        JsonNode trace = awaitTrace(c.id(), c.recorded(), "COMPLETED", "RUNNING");

        assertThat(trace.get("conversationId").asText()).isEqualTo(c.id().toString());
        assertThat(texts(trace.get("steps"), "step"))
                .containsExactly("AuditUserInputStep", "RulesStep", "McpToolStep", "AuditUserInputStep");
        assertThat(texts(trace.get("steps"), "status")).containsExactly("OK", "ERROR", "OK", "RUNNING");

        JsonNode input = trace.get("steps").get(0);
        assertThat(input.get("stepClass").asText()).isEqualTo(ScriptedConversation.STEP_PACKAGE + "AuditUserInputStep");
        assertThat(input.get("sourceFile").asText()).isEqualTo("AuditUserInputStep.java");
        assertThat(input.get("durationMs").asLong()).isEqualTo(3);
        assertThat(input.get("startedAt").asText()).isEqualTo("2026-11-24T06:00:00.002Z");
        assertThat(input.get("endedAt").asText()).isEqualTo("2026-11-24T06:00:00.004Z");
        assertThat(input.get("error").isNull()).isTrue();
        assertThat(texts(input.get("stages"), "stage")).containsExactly("USER_INPUT");
        assertThat(input.get("stages").get(0).get("payload").get("text").asText()).isEqualTo("I need a loan");

        JsonNode rules = trace.get("steps").get(1);
        assertThat(rules.get("error").asText()).isEqualTo("rule table missing");
        assertThat(rules.get("durationMs").asLong()).isEqualTo(51);
        assertThat(texts(rules.get("stages"), "stage")).as("stages while RulesStep was the innermost open step")
                .containsExactly("SET_STATE");
        assertThat(texts(trace.get("steps").get(2).get("stages"), "stage"))
                .containsExactly("MCP_TOOL_CALL", "MCP_TOOL_RESULT");
        assertThat(trace.get("steps").get(3).get("endedAt").isNull()).isTrue();

        List<Long> auditIds = new ArrayList<>();
        trace.get("stages").forEach(s -> auditIds.add(s.get("auditId").asLong()));
        assertThat(auditIds).hasSize(c.recorded()).isSorted().doesNotHaveDuplicates();
        assertThat(trace.get("stages").get(0).get("stage").asText()).isEqualTo("STEP_ENTER");
        assertThat(trace.get("stages").get(0).get("payload").get("step").asText()).isEqualTo("AuditUserInputStep");
        JsonNode audit = await().atMost(Duration.ofSeconds(20)).until(
                () -> http.get().uri("/api/v1/conversation/audit/{id}", c.id()).retrieve().body(JsonNode.class),
                rows -> rows.size() == c.recorded()); // the audit processor runs on its own
        List<Long> rawIds = new ArrayList<>();
        audit.forEach(row -> rawIds.add(row.get("auditId").asLong()));
        assertThat(auditIds).as("the trace's stages are the raw audit's rows").isEqualTo(rawIds);

        JsonNode turns = trace.get("turns");
        assertThat(turns).hasSize(2);
        JsonNode first = turns.get(0);
        assertThat(first.get("index").asInt()).isEqualTo(1);
        assertThat(first.get("userText").asText()).isEqualTo("I need a loan");
        assertThat(first.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(first.get("outcome").asText()).isEqualTo("ANSWERED");
        assertThat(first.get("intent").asText()).isEqualTo("LOAN");
        assertThat(first.get("state").asText()).isEqualTo("OFFER");
        assertThat(first.get("startedAt").asText()).isEqualTo("2026-11-24T06:00:00.001Z");
        assertThat(first.get("endedAt").asText()).isEqualTo("2026-11-24T06:00:00.013Z");
        assertThat(first.get("durationMs").asLong()).isEqualTo(12);
        assertThat(texts(first.get("steps"), "step")).containsExactly("AuditUserInputStep", "RulesStep", "McpToolStep");
        assertThat(texts(first.get("stagesOutsideSteps"), "stage")).containsExactly("ASSISTANT_OUTPUT");
        JsonNode second = turns.get(1);
        assertThat(second.get("index").asInt()).isEqualTo(2);
        assertThat(second.get("status").asText()).isEqualTo("RUNNING");
        assertThat(second.get("endedAt").isNull()).isTrue();
        assertThat(texts(second.get("steps"), "status")).containsExactly("RUNNING");
        assertThat(texts(second.get("steps").get(0).get("stages"), "stage")).containsExactly("USER_INPUT");
    }

    @Test
    void aStepLeftOpenByAnAbandonedTurnDoesNotSwallowTheNextTurn() {
        ScriptedConversation c = new ScriptedConversation(commands)
                .turn("first").enter("McpToolStep").stage(Stage.MCP_TOOL_CALL, Map.of("tool", "slow")).flush()
                .turn("second", 0)
                .stage(Stage.USER_INPUT, Map.of("text", "second")).complete("GREETING", "IDLE");

        JsonNode trace = awaitTrace(c.id(), c.recorded() + 1, "ABANDONED", "COMPLETED"); // + TURN_ABANDONED

        JsonNode turns = trace.get("turns");
        assertThat(texts(turns, "status")).containsExactly("ABANDONED", "COMPLETED");
        assertThat(turns.get(0).get("endedAt").isNull()).isFalse();
        assertThat(texts(turns.get(0).get("steps").get(0).get("stages"), "stage"))
                .containsExactly("MCP_TOOL_CALL", "TURN_ABANDONED");
        assertThat(turns.get(1).get("steps")).isEmpty();
        assertThat(texts(turns.get(1).get("stagesOutsideSteps"), "stage")).containsExactly("USER_INPUT");
    }

    @Test
    void unknownConversationHasAnEmptyTrace() {
        UUID unknown = UUID.randomUUID();
        JsonNode trace = http.get().uri("/api/v1/conversation/audit/{id}/trace", unknown).retrieve().body(JsonNode.class);
        assertThat(trace.get("conversationId").asText()).isEqualTo(unknown.toString());
        assertThat(trace.get("steps")).isEmpty();
        assertThat(trace.get("stages")).isEmpty();
        assertThat(trace.get("turns")).isEmpty();
    }

    @Test
    void anIdThatIsNotAUuidIsABadRequest() {
        ResponseEntity<JsonNode> answer = http.get().uri("/api/v1/conversation/audit/{id}/trace", "not-a-uuid")
                .retrieve().toEntity(JsonNode.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getBody().get("field").asText()).isEqualTo("conversationId");
    }

    /** The trace once the projection has caught up with the given number of stages and turn statuses. */
    private JsonNode awaitTrace(UUID conversationId, int stages, String... turnStatuses) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> http.get().uri("/api/v1/conversation/audit/{id}/trace", conversationId).retrieve()
                        .body(JsonNode.class),
                trace -> trace.get("stages").size() == stages
                        && texts(trace.get("turns"), "status").equals(List.of(turnStatuses)));
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }
}
