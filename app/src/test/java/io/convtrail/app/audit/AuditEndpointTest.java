package io.convtrail.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ConvEngine's raw audit: its row shape, auditId order, paging and filtering, and its errors. */
@ConvtrailIntegrationTest
class AuditEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;
    @Autowired
    QueryGateway queries;
    @Autowired
    ObjectMapper json;

    RestClient http;

    @BeforeEach
    void client() {
        http = LocalApi.client(port);
    }

    @Test
    void theStreamedAnswerIsByteForByteWhatJacksonWritesForTheRows() throws Exception {
        ScriptedConversation c = new ScriptedConversation(commands).turn("say \"hi\" to Zoë 👋")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "say \"hi\"\n\tto Zoë 👋 \\"))
                .exit("AuditUserInputStep", 1).complete("GREETING", "IDLE");
        await().atMost(Duration.ofSeconds(20)).until(() -> audit(c.id(), "").size() == c.recorded());

        byte[] answer = http.get().uri("/api/v1/conversation/audit/{id}", c.id()).retrieve().body(byte[].class);
        List<AuditRow> rows = queries.query(new FindConversationAuditQuery(c.id(), null, null, null),
                ResponseTypes.multipleInstancesOf(AuditRow.class)).join();
        assertThat(new String(answer, StandardCharsets.UTF_8))
                .isEqualTo(new String(json.writeValueAsBytes(rows), StandardCharsets.UTF_8));

        byte[] page = http.get().uri("/api/v1/conversation/audit/{id}?stage=USER_INPUT&afterAuditId={after}&limit=1",
                c.id(), rows.get(0).auditId()).retrieve().body(byte[].class);
        List<AuditRow> pageRows = queries.query(new FindConversationAuditQuery(c.id(), rows.get(0).auditId(), 1,
                Stage.USER_INPUT), ResponseTypes.multipleInstancesOf(AuditRow.class)).join();
        assertThat(pageRows).hasSize(1);
        assertThat(new String(page, StandardCharsets.UTF_8))
                .isEqualTo(new String(json.writeValueAsBytes(pageRows), StandardCharsets.UTF_8));
    }

    @Test
    void rowsHaveConvEnginesShapeAndComeInAuditIdOrderWithoutVerboseMessages() {
        ScriptedConversation c = conversationOfSevenStages();

        JsonNode rows = audit(c.id(), "");

        assertThat(rows).hasSize(7);
        JsonNode first = rows.get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("auditId", "conversationId", "stage", "payloadJson", "createdAt");
        assertThat(first.get("auditId").isIntegralNumber()).isTrue();
        assertThat(first.get("conversationId").asText()).isEqualTo(c.id().toString());
        assertThat(first.get("payloadJson").isTextual()).as("payloadJson is JSON text").isTrue();
        assertThat(first.get("payloadJson").asText()).contains("\"step\":\"AuditUserInputStep\"");
        assertThat(first.get("createdAt").asText()).isEqualTo("2026-11-24T06:00:00.002Z");
        assertThat(stages(rows)).containsExactly("STEP_ENTER", "USER_INPUT", "STEP_EXIT", "STEP_ENTER",
                "RULE_MATCH", "STEP_EXIT", "ASSISTANT_OUTPUT");
        assertThat(auditIds(rows)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void pagingAndFilteringNarrowTheDefaultAnswer() {
        ScriptedConversation c = conversationOfSevenStages();
        JsonNode all = audit(c.id(), "");

        List<Long> paged = new ArrayList<>();
        long after = -1;
        JsonNode page;
        do {
            page = audit(c.id(), "?limit=3&afterAuditId=" + after);
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(row -> paged.add(row.get("auditId").asLong()));
            after = page.isEmpty() ? after : page.get(page.size() - 1).get("auditId").asLong();
        } while (page.size() == 3);
        assertThat(paged).isEqualTo(auditIds(all));

        JsonNode enters = audit(c.id(), "?stage=STEP_ENTER");
        assertThat(stages(enters)).containsExactly("STEP_ENTER", "STEP_ENTER");
        JsonNode secondEnter = audit(c.id(), "?stage=STEP_ENTER&afterAuditId=" + enters.get(0).get("auditId")
                + "&limit=1");
        assertThat(auditIds(secondEnter)).containsExactly(enters.get(1).get("auditId").asLong());
        assertThat(audit(c.id(), "?afterAuditId=" + auditIds(all).get(6))).isEmpty();
    }

    @Test
    void anUnknownConversationHasAnEmptyAudit() {
        assertThat(audit(UUID.randomUUID(), "")).isEmpty();
    }

    @Test
    void invalidIdsAndParametersAreProblems() {
        UUID id = UUID.randomUUID();
        assertProblem("/api/v1/conversation/audit/not-a-uuid", "conversationId");
        assertProblem("/api/v1/conversation/audit/" + id + "?limit=0", "limit");
        assertProblem("/api/v1/conversation/audit/" + id + "?limit=10001", "limit");
        assertProblem("/api/v1/conversation/audit/" + id + "?stage=NOT_A_STAGE", "stage");
        ResponseEntity<JsonNode> notANumber = http.get().uri("/api/v1/conversation/audit/" + id + "?afterAuditId=abc")
                .retrieve().toEntity(JsonNode.class);
        assertThat(notANumber.getStatusCode().value()).isEqualTo(400);
        assertThat(notANumber.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    private ScriptedConversation conversationOfSevenStages() {
        ScriptedConversation c = new ScriptedConversation(commands)
                .turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("AuditUserInputStep", 1)
                .verbose("Checking the rules.")
                .enter("RulesStep").stage(Stage.RULE_MATCH, Map.of("ruleId", "r1")).exit("RulesStep", 2)
                .stage(Stage.ASSISTANT_OUTPUT, Map.of("output", "hi"))
                .complete("GREETING", "IDLE");
        await().atMost(Duration.ofSeconds(20)).until(() -> audit(c.id(), "").size() == c.recorded());
        return c;
    }

    private void assertProblem(String uri, String field) {
        ResponseEntity<JsonNode> answer = http.get().uri(uri).retrieve().toEntity(JsonNode.class);
        assertThat(answer.getStatusCode().value()).as(uri).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getBody().get("status").asInt()).isEqualTo(400);
        assertThat(answer.getBody().get("field").asText()).isEqualTo(field);
    }

    private JsonNode audit(UUID id, String query) {
        return http.get().uri("/api/v1/conversation/audit/" + id + query).retrieve().body(JsonNode.class);
    }

    private static List<String> stages(JsonNode rows) {
        List<String> stages = new ArrayList<>();
        rows.forEach(row -> stages.add(row.get("stage").asText()));
        return stages;
    }

    private static List<Long> auditIds(JsonNode rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get("auditId").asLong()));
        return ids;
    }
}
