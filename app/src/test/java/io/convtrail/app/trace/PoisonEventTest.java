package io.convtrail.app.trace;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event the trace projection cannot apply (PostgreSQL refuses its row, through a trigger) is
 * quarantined: the rest of its batch and every other conversation keep projecting, the operator
 * sees it in {@code /actuator/projections} and in health (DEGRADED), a read of its conversation's
 * trace says the trace is incomplete instead of waiting or answering partially, the log has one
 * line for it and no stack trace, and a retry once the cause is gone applies it and health is UP.
 */
@ConvtrailIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PoisonEventTest {

    private static final String MARKER = "poison-for-the-trace";

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void dropTriggerAndRetry() {
        dropTrigger();
        http().post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body("{\"action\":\"retry-quarantined\"}").retrieve().toBodilessEntity();
    }

    @Test
    void aPoisonEventIsQuarantinedTheRestFlowsAndARetryAfterTheFixAppliesIt(@Autowired EventStoreProbe storeProbe,
                                                                          CapturedOutput output) {
        jdbc.sql("""
                CREATE FUNCTION refuse_poison_stage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload::text LIKE '%%%s%%' THEN
                        RAISE EXCEPTION 'stage refused for the test';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(MARKER)).update();
        jdbc.sql("""
                CREATE TRIGGER refuse_poison_stage BEFORE INSERT ON trace_stage
                FOR EACH ROW EXECUTE FUNCTION refuse_poison_stage()""").update();

        ScriptedConversation poisoned = new ScriptedConversation(commands).turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .stage(Stage.RULE_MATCH, Map.of("note", MARKER))
                .exit("AuditUserInputStep", 1)
                .complete("GREETING", "IDLE");
        String eventId = storeProbe.eventIdContaining(poisoned.id(), MARKER);

        // conversations after it, over HTTP, on both segments: each trace is complete right after its answer
        List<UUID> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            UUID other = UUID.randomUUID();
            others.add(other);
            assertThat(post("/api/v1/conversation/message", "{\"conversationId\":\"" + other
                    + "\",\"message\":\"What are your interest rates?\"}").getStatusCode().value()).isEqualTo(200);
            ResponseEntity<JsonNode> trace = getJson("/api/v1/conversation/audit/" + other + "/trace");
            assertThat(trace.getStatusCode().value()).isEqualTo(200);
            assertThat(trace.getBody().at("/turns/0/status").asText()).isEqualTo("COMPLETED");
        }

        JsonNode status = await().atMost(Duration.ofSeconds(30)).until(
                () -> getJson("/actuator/projections").getBody(), s -> s.at("/projections/trace/quarantined").asLong() == 1);
        JsonNode held = status.at("/projections/trace/quarantine/0");
        assertThat(held.get("eventId").asText()).isEqualTo(eventId);
        assertThat(held.get("conversationId").asText()).isEqualTo(poisoned.id().toString());
        assertThat(held.get("globalIndex").asLong()).as("its position in the store")
                .isEqualTo(jdbc.sql("SELECT globalindex FROM domainevententry WHERE eventidentifier = ?")
                        .param(eventId).query(Long.class).single());
        assertThat(held.get("error").asText()).contains("stage refused for the test");
        assertThat(held.get("sqlState").asText()).isEqualTo("P0001");
        assertThat(status.at("/projections/audit/quarantined").asLong()).isZero();
        assertThat(rows("trace_stage", poisoned.id())).as("the rest of the poisoned turn is projected")
                .isEqualTo(poisoned.recorded() - 1);
        assertThat(rows("trace_stage", others.get(others.size() - 1))).isPositive();

        ResponseEntity<JsonNode> health = getJson("/actuator/health");
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.getBody().at("/components/projections/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.getBody().at("/components/projections/components/trace/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.getBody().at("/components/projections/components/audit/status").asText()).isEqualTo("UP");

        ResponseEntity<JsonNode> incomplete = getJson("/api/v1/conversation/audit/" + poisoned.id() + "/trace");
        assertThat(incomplete.getStatusCode().value()).isEqualTo(503);
        assertThat(incomplete.getHeaders().getFirst("Retry-After")).isNotBlank();
        assertThat(incomplete.getBody().get("type").asText()).isEqualTo("urn:convtrail:problem:read-model-incomplete");
        ResponseEntity<JsonNode> audit = getJson("/api/v1/conversation/audit/" + poisoned.id());
        assertThat(audit.getStatusCode().value()).as("the audit projection is not affected").isEqualTo(200);
        assertThat(audit.getBody()).hasSize(poisoned.recorded());

        assertThat(output.getAll().lines().filter(line -> line.contains("quarantined event " + eventId)))
                .as("one log line for the quarantined event").hasSize(1);
        assertThat(output.getAll()).as("no stack trace for it").doesNotContain("\tat ");

        dropTrigger();
        ResponseEntity<JsonNode> retried = http().post().uri("/actuator/projections")
                .contentType(MediaType.APPLICATION_JSON).body("{\"projection\":\"trace\",\"action\":\"retry-quarantined\"}")
                .retrieve().toEntity(JsonNode.class);

        assertThat(retried.getStatusCode().value()).isEqualTo(200);
        assertThat(retried.getBody().at("/projections/trace/quarantined").asLong()).isZero();
        assertThat(rows("trace_stage", poisoned.id())).isEqualTo(poisoned.recorded());
        ResponseEntity<JsonNode> complete = getJson("/api/v1/conversation/audit/" + poisoned.id() + "/trace");
        assertThat(complete.getStatusCode().value()).isEqualTo(200);
        assertThat(complete.getBody().get("stages").findValuesAsText("stage")).contains("RULE_MATCH");
        assertThat(getJson("/actuator/health").getBody().at("/components/projections/status").asText()).isEqualTo("UP");
    }

    @Test
    void anUnknownActionIsABadRequest() {
        assertThat(post("/actuator/projections", "{\"action\":\"nope\"}").getStatusCode().value()).isEqualTo(400);
    }

    private void dropTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_poison_stage ON trace_stage").update();
        jdbc.sql("DROP FUNCTION IF EXISTS refuse_poison_stage()").update();
    }

    private RestClient http() {
        return LocalApi.client(port);
    }

    private ResponseEntity<String> post(String uri, String body) {
        return http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    private ResponseEntity<JsonNode> getJson(String uri) {
        return http().get().uri(uri).retrieve().toEntity(JsonNode.class);
    }

    private long rows(String table, UUID conversationId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE conversation_id = ?").param(conversationId)
                .query(Long.class).single();
    }
}
