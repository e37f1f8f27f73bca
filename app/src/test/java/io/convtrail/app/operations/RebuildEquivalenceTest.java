package io.convtrail.app.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.ScriptedConversation;
import io.convtrail.app.compliance.PersonalConversation;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.testsupport.TestTokens;
import io.convtrail.testsupport.store.EventStoreProbe;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild gives back, row for row, what live processing built: every projection table, the
 * quarantine (an event PostgreSQL refuses is held again, for the same reason), an erased conversation
 * (its personal content stays "[erased]") and the hash chain's verification. Events appended while
 * it runs are projected too, and a live stream hears nothing of the events it replays.
 */
@ConvtrailIntegrationTest
class RebuildEquivalenceTest {

    private static final String MARKER = "refused-for-the-rebuild";
    /** Every table the projections write, and the columns that describe when (not what) a row was written. */
    private static final Map<String, List<String>> TABLES = new LinkedHashMap<>();

    static {
        for (String table : List.of("audit_event", "audit_turn_boundary", "trace_turn", "trace_step", "trace_stage",
                "conversation_index", "conversation_index_turn", "conversation_index_text")) {
            TABLES.put(table, List.of());
        }
        TABLES.put("projection_quarantine", List.of("attempts", "quarantined_at", "last_attempt_at"));
    }

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventStoreProbe store;

    private final HttpClient sse = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void dropTriggers(@Autowired ProjectionsEndpoint endpoint) {
        endpoint.pageSize(ProjectionsEndpoint.PAGE_SIZE);
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_marked ON trace_stage").update();
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_marked ON audit_event").update();
        jdbc.sql("DROP FUNCTION IF EXISTS refuse_marked()").update();
        http().post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body("{\"action\":\"retry-quarantined\"}").retrieve().toBodilessEntity();
    }

    @Test
    void aRebuildGivesBackWhatLiveProcessingBuilt(@Autowired ProjectionsEndpoint endpoint) throws Exception {
        // many pages: each prepared while the one before is written and the one after it is read
        endpoint.pageSize(7);
        refuseMarkedRows();
        ScriptedConversation refused = new ScriptedConversation(commands).turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .stage(Stage.RULE_MATCH, Map.of("note", MARKER)).exit("AuditUserInputStep", 1)
                .complete("GREETING", "IDLE");
        ScriptedConversation plain = new ScriptedConversation(commands).turn("first")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "first")).verbose("thinking")
                .exit("AuditUserInputStep", 2).complete("GREETING", "IDLE")
                .turn("second").stage(Stage.USER_INPUT, Map.of("text", "second")).complete("FAREWELL", "DONE");
        PersonalConversation erased = PersonalConversation.play(port, TestTokens.user("rebuild-owner"));
        assertThat(erased.erase(port, TestTokens.admin(), "rebuild test").getStatusCode().value()).isEqualTo(200);
        caughtUp(store.head());
        // only this test's conversations: other tests of the shared context tamper with or plant read-model
        // rows on purpose (a chain-verification test edits a payload), which a rebuild rightly restores
        List<UUID> ours = List.of(refused.id(), plain.id(), erased.id());
        Map<String, List<String>> live = rows(ours);
        assertThat(live).allSatisfy((table, rows) -> assertThat(rows).as(table).isNotEmpty());
        Map<UUID, String> verifiedLive = verified(plain.id(), erased.id());
        String erasedTrace = get("/api/v1/conversation/audit/{id}/trace", erased.id());
        assertThat(live.get("projection_quarantine")).anyMatch(row -> row.contains("\"trace\""))
                .anyMatch(row -> row.contains("\"audit\""));
        assertThat(erasedTrace).contains("[erased]").doesNotContain(erased.marker());

        ScriptedConversation during;
        try (SseTestClient watching = SseTestClient.open(sse, stream(plain.id()), Map.of("Last-Event-ID", "0"))) {
            watching.next(plain.recorded() + 1, Duration.ofSeconds(10)); // CONNECTED, then its history
            while (!watching.silentFor(Duration.ofSeconds(1))) {
                // the turn boundaries after the records
            }
            JsonNode started = http().post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                    .body("{}").retrieve().body(JsonNode.class);
            during = new ScriptedConversation(commands).turn("during")
                    .stage(Stage.USER_INPUT, Map.of("text", "during")).complete("GREETING", "IDLE");

            assertThat(started.at("/projections/audit/lastRebuildStartedAt").isTextual()).isTrue();
            caughtUp(store.head());
            assertThat(watching.silentFor(Duration.ofSeconds(1))).isTrue();
            assertThat(watching.ended()).isFalse();
            assertThat(get("/api/v1/conversation/audit/{id}", during.id()).split("auditId").length - 1)
                    .isEqualTo(during.recorded());
        }
        Map<String, List<String>> rebuilt = rows(ours);
        for (String table : TABLES.keySet()) {
            assertThat(rebuilt.get(table)).as(table).isEqualTo(live.get(table));
        }
        assertThat(rows(List.of(during.id())).get("audit_event")).hasSize(during.recorded());
        assertThat(verified(plain.id(), erased.id())).isEqualTo(verifiedLive);
        assertThat(get("/api/v1/conversation/audit/{id}/trace", erased.id())).isEqualTo(erasedTrace);
    }

    @Test
    void aRebuildIsRefusedWhileAnotherNodeHoldsASegment() {
        jdbc.sql("UPDATE tokenentry SET owner = 'another-node' WHERE processorname = 'trace' AND segment = 1").update();
        try {
            var answer = http().post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"projection\":\"trace\"}").retrieve().toEntity(String.class);
            assertThat(answer.getStatusCode().value()).isEqualTo(409);
            assertThat(answer.getHeaders().getContentType().toString()).contains("problem+json");
            assertThat(answer.getBody()).contains("another-node");
            assertThat(status().at("/projections/trace/running").asBoolean()).isTrue();
        } finally {
            jdbc.sql("UPDATE tokenentry SET owner = NULL WHERE owner = 'another-node'").update();
        }
    }

    private void refuseMarkedRows() {
        jdbc.sql("""
                CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF to_jsonb(NEW)::text LIKE '%%%s%%' THEN
                        RAISE EXCEPTION 'row refused for the test';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(MARKER)).update();
        for (String table : List.of("trace_stage", "audit_event")) {
            jdbc.sql("CREATE TRIGGER refuse_marked BEFORE INSERT ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_marked()").update();
        }
    }

    /** Each table's rows of these conversations as JSON, sorted, without the columns that say when they were written. */
    private Map<String, List<String>> rows(List<UUID> conversations) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        String[] ids = conversations.stream().map(UUID::toString).toArray(String[]::new);
        TABLES.forEach((table, when) -> {
            String row = "to_jsonb(t)" + when.stream().map(column -> " - '" + column + "'").reduce("", String::concat);
            rows.put(table, jdbc.sql("SELECT (" + row + ")::text AS r FROM " + table
                            + " t WHERE t.conversation_id::text = ANY(?) ORDER BY r")
                    .param(ids).query(String.class).list());
        });
        return rows;
    }

    /** The chain verification of each conversation (one with a quarantined event answers 503 by design). */
    private Map<UUID, String> verified(UUID... conversations) {
        Map<UUID, String> answers = new LinkedHashMap<>();
        for (UUID id : conversations) {
            answers.put(id, get("/api/v1/conversation/audit/{id}/verify", id));
        }
        return answers;
    }

    private void caughtUp(long head) {
        ProjectionsStatus.awaitCaughtUp(port, head, List.of("audit", "trace", "conversation-index"));
    }

    private String get(String uri, UUID id) {
        return LocalApi.strict(port).get().uri(uri, id).retrieve().body(String.class);
    }

    private JsonNode status() {
        return ProjectionsStatus.of(port);
    }

    private RestClient http() {
        return LocalApi.client(port);
    }

    private URI stream(UUID id) {
        return URI.create("http://localhost:" + port + "/api/v1/conversation/stream/" + id);
    }
}
