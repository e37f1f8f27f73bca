package io.convtrail.app.compliance;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.query.store.EventPositions;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exports as an auditor uses them: one conversation's record, and a time window resumed after
 * an interruption; every line matches the published schema, and what the chain verifier says online
 * is what the export says offline.
 */
@ConvtrailIntegrationTest
class ExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aConversationExportHoldsEveryRecordInOrderWithItsLinksAndASummary(@Autowired EventStoreProbe storeProbe)
            throws Exception {
        UUID id = Exports.converse(port, TestTokens.admin(), "hello", "What are your interest rates?");
        ResponseEntity<String> response = LocalApi.strict(port).get()
                .uri("/api/v1/conversation/audit/{id}/export", id).retrieve().toEntity(String.class);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/x-ndjson");
        List<JsonNode> lines = Exports.lines(response.getBody());

        JsonSchema schema = schema();
        lines.forEach(line -> assertThat(schema.validate(line)).as("%s", line).isEmpty());
        long stored = storeProbe.records(id);
        List<JsonNode> records = lines.subList(0, lines.size() - 1);
        assertThat(records).hasSize((int) stored);
        String previous = "0".repeat(64);
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            assertThat(record.get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(record.get("previousHash").asText()).isEqualTo(previous);
            assertThat(record.get("auditId").asLong()).isEqualTo(record.get("position").asLong());
            if (!record.get("turnId").isNull()) {
                assertThat(record.get("flowId").asText()).isNotBlank();
                assertThat(record.get("flowHash").asText()).isNotBlank();
            }
            previous = record.get("hash").asText();
        }
        assertThat(records).anyMatch(r -> r.get("stage").asText().equals("VERBOSE"));
        // stored (and hashed) sealed; readable beside it
        assertThat(records).anyMatch(r -> r.get("stage").asText().equals("USER_INPUT")
                && r.get("readable").get("text").asText().equals("What are your interest rates?")
                && !r.get("payload").asText().contains("interest rates"));

        JsonNode summary = lines.get(lines.size() - 1);
        JsonNode online = LocalApi.strict(port).get().uri("/api/v1/conversation/audit/{id}/verify", id)
                .retrieve().body(JsonNode.class);
        assertThat(summary.get("count").asLong()).isEqualTo(stored);
        assertThat(summary.get("head").asText()).isEqualTo(online.get("headHash").asText()).isEqualTo(previous);
        assertThat(Instant.parse(summary.get("exportedAt").asText())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void aWindowExportIsWholeConversationsInGlobalOrderAndResumesAfterAPosition() throws Exception {
        Instant from = Instant.now();
        UUID first = Exports.converse(port, TestTokens.admin(), "hello");
        UUID second = Exports.converse(port, TestTokens.admin(), "What are your interest rates?");
        Exports.converse(port, TestTokens.admin(), first, "What are your interest rates?");
        Instant to = Instant.now().plusMillis(1);
        RestClient auditor = LocalApi.client(port, TestTokens.auditor("carol"));

        String whole = auditor.get().uri("/api/v1/conversation/export?from={f}&to={t}", from, to)
                .retrieve().body(String.class);
        List<JsonNode> lines = Exports.lines(whole);
        List<JsonNode> records = lines.subList(0, lines.size() - 1);
        assertThat(records).extracting(r -> UUID.fromString(r.get("conversationId").asText()))
                .containsOnly(first, second).contains(first, second);
        assertThat(records).extracting(r -> r.get("position").asLong()).isSorted().doesNotHaveDuplicates();
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("count").asLong()).isEqualTo(records.size());
        assertThat(summary.get("lastPosition").asLong()).isEqualTo(records.get(records.size() - 1).get("position").asLong());
        assertThat(Exports.verify(whole).describe()).startsWith("OK " + records.size() + " events in 2 conversations");

        // interrupted after the 5th record: continue from its position; the pieces verify together
        int cut = 5;
        long resumeAfter = records.get(cut - 1).get("position").asLong();
        String rest = auditor.get().uri("/api/v1/conversation/export?from={f}&to={t}&after={a}", from, to, resumeAfter)
                .retrieve().body(String.class);
        List<JsonNode> resumed = Exports.lines(rest);
        List<JsonNode> joined = new ArrayList<>(records.subList(0, cut));
        joined.addAll(resumed.subList(0, resumed.size() - 1));
        assertThat(joined).isEqualTo(records);
        String stitched = String.join("\n", whole.lines().limit(cut).toList()) + "\n" + rest;
        assertThat(Exports.verify(stitched).intact()).isTrue();

        // a window before anything happened holds no conversation
        String empty = auditor.get().uri("/api/v1/conversation/export?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
                .retrieve().body(String.class);
        assertThat(Exports.lines(empty)).singleElement().satisfies(s -> assertThat(s.get("count").asLong()).isZero());

        // neither bound: the whole store, read along its global order (other classes' conversations too); this
        // test's two conversations in it are the window's records, whole and in the same order
        long before = records.get(0).get("position").asLong() - 1;
        List<JsonNode> all = Exports.lines(auditor.get().uri("/api/v1/conversation/export?after={a}", before)
                .retrieve().body(String.class));
        List<JsonNode> allRecords = all.subList(0, all.size() - 1);
        assertThat(allRecords).extracting(r -> r.get("position").asLong()).isSorted().doesNotHaveDuplicates()
                .allMatch(position -> position > before);
        assertThat(allRecords).filteredOn(r -> Set.of(first.toString(), second.toString())
                .contains(r.get("conversationId").asText())).isEqualTo(records);
        assertThat(all.get(all.size() - 1).get("count").asLong()).isEqualTo(allRecords.size());
    }

    @Test
    void aWindowThatBeginsAfterAConversationsFirstTurnExportsItWhole() {
        UUID id = Exports.converse(port, TestTokens.admin(), "hello");
        Instant from = Instant.now();
        Exports.converse(port, TestTokens.admin(), id, "What are your interest rates?");
        Instant to = Instant.now().plusMillis(1);
        assertThat(Instant.parse(jdbc.sql("SELECT timestamp FROM domainevententry WHERE aggregateidentifier = ? "
                + "AND sequencenumber = 0").param(id.toString()).query(String.class).single())).isBefore(from);

        List<JsonNode> window = Exports.lines(LocalApi.client(port, TestTokens.auditor("carol")).get()
                .uri("/api/v1/conversation/export?from={f}&to={t}", from, to).retrieve().body(String.class));
        List<JsonNode> own = Exports.lines(LocalApi.strict(port).get()
                .uri("/api/v1/conversation/audit/{id}/export", id).retrieve().body(String.class));
        List<JsonNode> ownInWindow = window.subList(0, window.size() - 1).stream()
                .filter(r -> r.get("conversationId").asText().equals(id.toString())).toList();
        assertThat(ownInWindow).first().satisfies(r -> assertThat(r.get("sequence").asLong()).isEqualTo(1));
        assertThat(ownInWindow).isEqualTo(own.subList(0, own.size() - 1));
    }

    /**
     * The window's two statements as PostgreSQL plans them on a copy of the event table (V62's time index
     * among its indexes) holding 100,000 events over 5.5 hours: a minute's conversations come off the
     * time index, not a read of every event, and their events come in global order with no sort before
     * the first row; a window within one second holds only that second's events inside it.
     */
    @Test
    void aWindowFindsItsConversationsOnTheTimeIndexAndReadsTheirEventsInGlobalOrderUnsorted(
            @Autowired DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                EventTableCopy copy = EventTableCopy.create(c, 100_000);
                Instant from = copy.start().plus(Duration.ofHours(3));
                Object[] minute = EventPositions.windowParameters(from, from.plus(Duration.ofMinutes(1)));
                assertThat(copy.plan(EventPositions.WINDOW_CONVERSATIONS, minute))
                        .contains("Bitmap Index Scan on " + copy.timeIndex());

                Object[] span = copy.row(EventPositions.WINDOW_CONVERSATIONS, minute);
                assertThat((String[]) ((Array) span[2]).getArray()).hasSizeGreaterThan(1);
                Object[] range = {(Long) span[0] - 1, span[1], span[2]};
                assertThat(copy.plan(EventPositions.WINDOW_ROWS, range))
                        .startsWith("Index Scan using domainevententry_pkey on domainevententry").doesNotContain("Sort");

                // within one second: the index finds the second as text, the exact time keeps one event of it
                // (stored every 0.2 s: [0.3 s, 0.5 s) of the window's first second holds the one at 0.4 s)
                Object[] fifth = EventPositions.windowParameters(from.plusMillis(300), from.plusMillis(500));
                String[] fifthsConversation = (String[]) ((Array) copy.row(EventPositions.WINDOW_CONVERSATIONS, fifth)[2])
                        .getArray();
                assertThat(fifthsConversation).containsExactly((String) copy.row(
                        "SELECT aggregateidentifier FROM domainevententry WHERE timestamp::timestamptz = ?",
                        OffsetDateTime.ofInstant(from.plusMillis(400), ZoneOffset.UTC))[0]);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void ownersAuditorsAndAdminsMayExportAConversationAndAuditorReadsAreRecorded() {
        UUID id = Exports.converse(port, TestTokens.user("alice"), "hello");
        assertThat(status(LocalApi.client(port, TestTokens.user("alice")), "/api/v1/conversation/audit/" + id + "/export"))
                .isEqualTo(200);
        assertThat(status(LocalApi.client(port, TestTokens.user("bob")), "/api/v1/conversation/audit/" + id + "/export"))
                .isEqualTo(404);
        assertThat(status(LocalApi.client(port, TestTokens.user("alice")), "/api/v1/conversation/export")).isEqualTo(403);
        assertThat(status(LocalApi.client(port, TestTokens.auditor("dave")), "/api/v1/conversation/audit/" + id + "/export"))
                .isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM conversation_access WHERE conversation_id = ? AND subject = 'dave' "
                + "AND endpoint LIKE '%/export'").param(id).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aPersonsConversationsAreListedForThemAuditorsAndAdminsOnly() {
        String erin = "erin-" + UUID.randomUUID();
        UUID first = Exports.converse(port, TestTokens.user(erin), "hello");
        UUID second = Exports.converse(port, TestTokens.user(erin), "What are your interest rates?", "hello");
        Exports.converse(port, TestTokens.user("frank"), "hello");
        String path = "/api/v1/users/" + erin + "/conversations";

        JsonNode own = LocalApi.client(port, TestTokens.user(erin)).get().uri(path).retrieve().body(JsonNode.class);
        assertThat(own).extracting(c -> UUID.fromString(c.get("conversationId").asText())).containsExactly(first, second);
        assertThat(own.get(1).get("events").asLong()).isGreaterThan(own.get(0).get("events").asLong());
        assertThat(Instant.parse(own.get(1).get("lastEventAt").asText()))
                .isAfter(Instant.parse(own.get(1).get("startedAt").asText()));
        assertThat(LocalApi.client(port, TestTokens.auditor("carol")).get().uri(path).retrieve().body(JsonNode.class))
                .isEqualTo(own);
        assertThat(status(LocalApi.client(port, TestTokens.user("frank")), path)).isEqualTo(403);
        assertThat(LocalApi.strict(port).get().uri("/api/v1/users/nobody-{x}/conversations", UUID.randomUUID())
                .retrieve().body(JsonNode.class)).isEmpty();
    }

    @Test
    void badIdsWindowsAndPositionsAreProblemsAndUnknownConversationsAreNotFound() {
        RestClient admin = LocalApi.client(port);
        assertProblem(admin, "/api/v1/conversation/audit/not-a-uuid/export", 400);
        assertProblem(admin, "/api/v1/conversation/audit/" + UUID.randomUUID() + "/export", 404);
        assertProblem(admin, "/api/v1/conversation/export?from=yesterday", 400);
        assertProblem(admin, "/api/v1/conversation/export?to=2026-13-01T00:00:00Z", 400);
        assertProblem(admin, "/api/v1/conversation/export?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400);
        assertProblem(admin, "/api/v1/conversation/export?from=%2B100000-01-01T00:00:00Z", 400);
        assertProblem(admin, "/api/v1/conversation/export?to=-0005-01-01T00:00:00Z", 400);
        assertProblem(admin, "/api/v1/conversation/export?after=-1", 400);
        assertProblem(admin, "/api/v1/conversation/export?after=abc", 400);
        assertProblem(admin, "/api/v1/conversation/export?after=99999999999999999999", 400);
    }

    /** The path is sent as written (no template encoding), so an escaped {@code +} arrives as {@code +}. */
    private void assertProblem(RestClient client, String path, int status) {
        ResponseEntity<String> response = client.get().uri(URI.create("http://localhost:" + port + path))
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(path).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).as(path)
                .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static int status(RestClient client, String path) {
        return client.get().uri(path).exchange((request, response) -> response.getStatusCode().value());
    }

    private static JsonSchema schema() throws Exception {
        try (var in = ExportTest.class.getResourceAsStream("/schema/export-line.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }
}
