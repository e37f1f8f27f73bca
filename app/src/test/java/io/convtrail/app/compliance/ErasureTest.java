package io.convtrail.app.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.export.ExportVerifier;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.testsupport.TestTokens;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure as an admin does it and as everyone else then sees the conversation: the structure stays,
 * personal values read {@code "[erased]"} in the audit, trace, streams and export, the chain still
 * verifies online and offline, and a rebuild of the read models gives the same answer.
 */
@ConvtrailIntegrationTest
class ErasureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CommandGateway commands;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void afterAnErasureEveryReaderShowsTheStructureWithPersonalValuesErasedAndTheChainStillVerifies() throws Exception {
        String owner = TestTokens.user("erasure-owner");
        PersonalConversation c = PersonalConversation.play(port, owner);
        RestClient admin = LocalApi.strict(port);
        String auditBefore = get(admin, "/api/v1/conversation/audit/{id}", c.id());
        String traceBefore = get(admin, "/api/v1/conversation/audit/{id}/trace", c.id());
        String exportBefore = get(admin, "/api/v1/conversation/audit/{id}/export", c.id());
        assertThat(auditBefore).contains(c.marker());
        assertThat(traceBefore).contains(c.marker());
        assertThat(exportBefore).contains(c.marker());
        List<String> stagesBefore = stages(auditBefore);

        try (SseTestClient live = SseTestClient.open(http, stream(c.id()), Map.of("Last-Event-ID", "0"))) {
            List<SseTestClient.Event> history = live.next((int) count(c.id()) + 1, WAIT); // CONNECTED, then the record
            assertThat(history.toString()).contains(c.marker());

            ResponseEntity<String> erased = c.erase(port, TestTokens.admin(), "GDPR art. 17 request");
            assertThat(erased.getStatusCode().value()).isEqualTo(200);
            JsonNode receipt = JSON.readTree(erased.getBody());
            assertThat(receipt.get("conversationId").asText()).isEqualTo(c.id().toString());
            assertThat(receipt.get("erasedBy").asText()).isEqualTo(TestTokens.ADMIN_SUBJECT);
            assertThat(receipt.get("reason").asText()).isEqualTo("GDPR art. 17 request");
            assertThat(receipt.get("shredded").asBoolean()).isTrue();

            SseTestClient.Event erasure = live.next(WAIT);
            assertThat(erasure.name()).isEqualTo(Stage.CONVERSATION_ERASED.name());
            JsonNode erasurePayload = JSON.readTree(erasure.data()).get("payload");
            assertThat(erasurePayload.get("erasedBy").asText()).isEqualTo(TestTokens.ADMIN_SUBJECT);
            assertThat(erasurePayload.get("reason").asText()).isEqualTo("GDPR art. 17 request");
        }

        String audit = awaitAudit(admin, c.id(), stagesBefore.size() + 1);
        assertThat(audit).doesNotContain(c.marker()).contains("[erased]");
        assertThat(stages(audit)).startsWith(stagesBefore.toArray(String[]::new)).endsWith("CONVERSATION_ERASED");
        JsonNode userInput = payloadOf(audit, "USER_INPUT");
        assertThat(userInput.get("text").asText()).isEqualTo("[erased]");
        assertThat(userInput.get("reset").asBoolean()).isFalse();
        assertThat(userInput.at("/_meta/intent").isMissingNode()).isFalse();
        assertThat(payloadOf(audit, "SCHEMA_SLOT_EXTRACTED").get("slot").asText()).isNotBlank();

        String trace = get(admin, "/api/v1/conversation/audit/{id}/trace", c.id());
        assertThat(trace).doesNotContain(c.marker()).contains("[erased]");
        JsonNode traceTree = JSON.readTree(trace);
        JsonNode traceBeforeTree = JSON.readTree(traceBefore);
        assertThat(traceTree.get("turns")).hasSameSizeAs(traceBeforeTree.get("turns"));
        assertThat(traceTree.at("/turns/0/userText").asText()).isEqualTo("[erased]");
        assertThat(traceTree.at("/turns/3/finalState").asText()).isEqualTo(traceBeforeTree.at("/turns/3/finalState").asText());

        try (SseTestClient replay = SseTestClient.open(http, stream(c.id()), Map.of("Last-Event-ID", "0"))) {
            List<SseTestClient.Event> events = replay.next((int) count(c.id()) + 1, WAIT);
            assertThat(events.toString()).doesNotContain(c.marker()).contains("[erased]");
            assertThat(events.get(events.size() - 1).name()).isEqualTo("CONVERSATION_ERASED");
        }

        String export = get(admin, "/api/v1/conversation/audit/{id}/export", c.id());
        assertThat(export).doesNotContain(c.marker());
        List<JsonNode> lines = Exports.lines(export);
        assertThat(lines).filteredOn(l -> "USER_INPUT".equals(l.path("stage").asText()))
                .allSatisfy(l -> assertThat(l.at("/readable/text").asText()).isEqualTo("[erased]"));
        // the stored form did not change: the records before the erasure are byte for byte what they were
        List<String> storedBefore = Exports.lines(exportBefore).stream().filter(l -> l.has("payload"))
                .map(l -> l.get("payload").asText() + l.get("hash").asText()).toList();
        assertThat(lines.stream().filter(l -> l.has("payload")).map(l -> l.get("payload").asText() + l.get("hash").asText())
                .toList()).startsWith(storedBefore.toArray(String[]::new));
        ExportVerifier.Result offline = Exports.verify(export);
        assertThat(offline.intact()).as(offline.toString()).isTrue();
        JsonNode online = JSON.readTree(get(admin, "/api/v1/conversation/audit/{id}/verify", c.id()));
        assertThat(online.get("intact").asBoolean()).isTrue();
        assertThat(online.get("headHash").asText()).isEqualTo(lines.get(lines.size() - 1).get("head").asText());

        // rows lost behind the projections' back: a rebuild from the event store gives the same erased answer
        jdbc.sql("DELETE FROM audit_event WHERE conversation_id = ?").param(c.id()).update();
        jdbc.sql("DELETE FROM trace_stage WHERE conversation_id = ?").param(c.id()).update();
        jdbc.sql("DELETE FROM trace_turn WHERE conversation_id = ?").param(c.id()).update();
        jdbc.sql("DELETE FROM trace_step WHERE conversation_id = ?").param(c.id()).update();
        admin.post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON).body("{}")
                .retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get(admin, "/api/v1/conversation/audit/{id}", c.id()), audit::equals);
        assertThat(get(admin, "/api/v1/conversation/audit/{id}/trace", c.id())).isEqualTo(trace);
    }

    @Test
    void anErasedConversationTakesNoMoreTurnsAndIsNotErasedTwice() {
        PersonalConversation c = PersonalConversation.play(port, TestTokens.user("erasure-twice"));
        assertThat(c.erase(port, TestTokens.admin(), "retention policy").getStatusCode().value()).isEqualTo(200);
        long records = count(c.id());

        ResponseEntity<String> again = c.erase(port, TestTokens.admin(), "again");
        assertProblem(again, 410, "conversation-erased");
        ResponseEntity<String> turn = LocalApi.client(port, TestTokens.user("erasure-twice")).post()
                .uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + c.id() + "\",\"message\":\"hello again\"}")
                .retrieve().toEntity(String.class);
        assertProblem(turn, 410, "conversation-erased");
        assertThat(count(c.id())).isEqualTo(records);
    }

    @Test
    void badErasureRequestsAreRefusedWithProblemsAndChangeNothing() {
        PersonalConversation c = PersonalConversation.play(port, TestTokens.user("erasure-bad"));
        long records = count(c.id());

        assertProblem(c.erase(port, TestTokens.admin(), null), 400, "invalid-request");
        assertProblem(c.erase(port, TestTokens.admin(), "   "), 400, "invalid-request");
        assertProblem(c.erase(port, TestTokens.admin(), "x".repeat(501)), 413, "too-large");
        assertProblem(LocalApi.client(port).delete().uri("/api/v1/conversations/not-a-uuid?reason=x")
                .retrieve().toEntity(String.class), 400, "invalid-request");
        assertProblem(LocalApi.client(port).delete().uri("/api/v1/conversations/{id}?reason=x", UUID.randomUUID())
                .retrieve().toEntity(String.class), 404, "unknown-conversation");
        assertThat(c.erase(port, TestTokens.user("erasure-bad"), "mine").getStatusCode().value()).isEqualTo(403);
        assertThat(c.erase(port, TestTokens.auditor("auditor"), "audit").getStatusCode().value()).isEqualTo(403);
        assertThat(c.erase(port, null, "anonymous").getStatusCode().value()).isEqualTo(401);

        assertThat(count(c.id())).isEqualTo(records);
        assertThat(get(LocalApi.strict(port), "/api/v1/conversation/audit/{id}", c.id())).contains(c.marker());
    }

    @Test
    void aTurnThatIsRunningIsNeverHalfErased() {
        ScriptedConversation running = new ScriptedConversation(commands, java.time.Instant.now())
                .turn("my secret is " + UUID.randomUUID()).enter("AuditUserInputStep").flush();
        long records = count(running.id());
        ResponseEntity<String> refused = LocalApi.client(port).delete()
                .uri("/api/v1/conversations/{id}?reason=request", running.id()).retrieve().toEntity(String.class);
        assertProblem(refused, 409, "turn-in-progress");
        assertThat(count(running.id())).isEqualTo(records);

        running.exit("AuditUserInputStep", 1).complete("GREETING", "IDLE");
        ResponseEntity<String> erased = LocalApi.client(port).delete()
                .uri("/api/v1/conversations/{id}?reason=request", running.id()).retrieve().toEntity(String.class);
        assertThat(erased.getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aTurnLeftOpenLongerThanTheAbandonTimeIsClosedAsAbandonedThenErased() {
        ScriptedConversation stale = new ScriptedConversation(commands).turn("my secret").enter("AuditUserInputStep")
                .stage(Stage.USER_INPUT, Map.of("text", "my secret"))
                .flush(); // its records are dated days ago: the turn counts as stale
        ResponseEntity<String> erased = LocalApi.client(port).delete()
                .uri("/api/v1/conversations/{id}?reason=request", stale.id()).retrieve().toEntity(String.class);
        assertThat(erased.getStatusCode().value()).isEqualTo(200);
        assertThat(stages(awaitAudit(LocalApi.strict(port), stale.id(), 4)))
                .containsExactly("STEP_ENTER", "USER_INPUT", "TURN_ABANDONED", "CONVERSATION_ERASED");
    }

    private void assertProblem(ResponseEntity<String> answer, int status, String slug) {
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(answer.getBody()).contains("urn:convtrail:problem:" + slug);
    }

    private long count(UUID id) {
        return jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND "
                        + "(payloadtype LIKE '%StageRecordedEvent' OR payloadtype LIKE '%VerboseRecordedEvent')")
                .param(id.toString()).query(Long.class).single();
    }

    private String awaitAudit(RestClient admin, UUID id, int stages) {
        await().atMost(WAIT).until(() -> stages(get(admin, "/api/v1/conversation/audit/{id}", id)).size() == stages);
        return get(admin, "/api/v1/conversation/audit/{id}", id);
    }

    private static String get(RestClient client, String uri, UUID id) {
        return client.get().uri(uri, id).retrieve().body(String.class);
    }

    private static List<String> stages(String audit) {
        try {
            List<String> stages = new java.util.ArrayList<>();
            JSON.readTree(audit).forEach(row -> stages.add(row.get("stage").asText()));
            return stages;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode payloadOf(String audit, String stage) throws Exception {
        for (JsonNode row : JSON.readTree(audit)) {
            if (stage.equals(row.get("stage").asText())) {
                JsonNode payload = row.get("payloadJson");
                return payload.isTextual() ? JSON.readTree(payload.asText()) : payload;
            }
        }
        throw new AssertionError("no " + stage + " in " + audit);
    }

    private URI stream(UUID id) {
        return URI.create("http://localhost:" + port + "/api/v1/conversation/stream/" + id);
    }
}
