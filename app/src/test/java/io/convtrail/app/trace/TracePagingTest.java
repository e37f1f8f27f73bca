package io.convtrail.app.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.convtrail.api.query.FindConversationTraceQuery;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.TestTokens;
import io.convtrail.testsupport.api.ConvtrailApi;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace by pages of turns ({@code ?fromTurn=&turns=}) over real turns of the demo flow: pages
 * follow each other through {@code next} and together are the whole trace; the whole trace is still
 * what Jackson writes for {@link ConversationTrace}; bad paging is a 400, erasure and authorization
 * hold for pages as for the whole trace.
 */
@ConvtrailIntegrationTest
class TracePagingTest {

    private static final String[] LOAN = {"I want to apply for a loan", "10000", "36", "ann@example.com", "yes"};

    @LocalServerPort
    int port;
    @Autowired
    QueryGateway queries;
    @Autowired
    ObjectMapper json;

    @Test
    void pagesFollowEachOtherThroughNextAndTogetherAreTheWholeTrace() throws Exception {
        UUID id = converse(TestTokens.user("paging-walker"), LOAN);
        JsonNode whole = get("/api/v1/conversation/audit/" + id + "/trace");
        assertThat(whole.get("turns")).hasSize(5);

        JsonNode first = get("/api/v1/conversation/audit/" + id + "/trace?fromTurn=1&turns=2");
        assertThat(indexes(first)).containsExactly(1, 2);
        assertThat(first.get("fromTurn").asInt()).isEqualTo(1);
        assertThat(first.get("lastTurn").asInt()).isEqualTo(5);
        assertThat(first.get("nextFromTurn").asInt()).isEqualTo(3);
        assertThat(first.get("next").asText()).isEqualTo("/api/v1/conversation/audit/" + id + "/trace?fromTurn=3&turns=2");

        JsonNode middle = get(first.get("next").asText());
        assertThat(indexes(middle)).containsExactly(3, 4);
        assertThat(middle.get("turns").get(0)).isEqualTo(whole.get("turns").get(2));

        JsonNode last = get(middle.get("next").asText());
        assertThat(indexes(last)).containsExactly(5);
        assertThat(last.get("nextFromTurn").isNull()).isTrue();
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("lastTurn").asInt()).isEqualTo(5);

        for (String list : List.of("steps", "stages", "turns")) {
            ArrayNode joined = json.createArrayNode();
            for (JsonNode page : List.of(first, middle, last)) {
                joined.addAll((ArrayNode) page.get(list));
            }
            assertThat(joined).as("the pages' %s, one after the other", list).isEqualTo(whole.get(list));
        }
        assertThat(get("/api/v1/conversation/audit/" + id + "/trace?turns=3").get("turns"))
                .as("without fromTurn a page starts at the first turn").hasSize(3);
        assertThat(indexes(get("/api/v1/conversation/audit/" + id + "/trace?fromTurn=4")))
                .as("without turns, up to " + 20 + " turns").containsExactly(4, 5);
    }

    @Test
    void aPagePastTheLastTurnIsEmptyAndSaysWhereTheTurnsEnd() throws Exception {
        UUID id = converse(TestTokens.user("paging-past-end"), LOAN[0], LOAN[1]);

        JsonNode past = get("/api/v1/conversation/audit/" + id + "/trace?fromTurn=3&turns=10");
        assertThat(past.get("turns")).isEmpty();
        assertThat(past.get("steps")).isEmpty();
        assertThat(past.get("stages")).isEmpty();
        assertThat(past.get("lastTurn").asInt()).isEqualTo(2);
        assertThat(past.get("next").isNull()).isTrue();

        JsonNode unknown = get("/api/v1/conversation/audit/" + UUID.randomUUID() + "/trace?fromTurn=1");
        assertThat(unknown.get("turns")).isEmpty();
        assertThat(unknown.get("lastTurn").isNull()).isTrue();
    }

    @Test
    void theWholeTraceIsByteForByteWhatJacksonWritesForTheTraceRecords() throws Exception {
        UUID id = converse(TestTokens.user("paging-bytes"), LOAN);
        ResponseEntity<byte[]> answer = LocalApi.client(port).get().uri("/api/v1/conversation/audit/{id}/trace", id)
                .retrieve().toEntity(byte[].class);
        ConversationTrace records = queries.query(new FindConversationTraceQuery(id), ConversationTrace.class).join();

        assertThat(answer.getHeaders().getContentType()).hasToString("application/json");
        assertThat(new String(answer.getBody(), StandardCharsets.UTF_8))
                .isEqualTo(new String(json.writeValueAsBytes(records), StandardCharsets.UTF_8));
    }

    @Test
    void badPagingParametersAreRefusedNamingTheParameter() throws Exception {
        UUID id = UUID.randomUUID();
        Map<String, String> refusedFields = Map.of("fromTurn=0", "fromTurn", "fromTurn=-3", "fromTurn",
                "fromTurn=two", "fromTurn", "fromTurn=99999999999", "fromTurn", "turns=0", "turns",
                "turns=101", "turns", "fromTurn=1&turns=x", "turns", "fromTurn=2&turns=-1", "turns");
        for (Map.Entry<String, String> refused : refusedFields.entrySet()) {
            ResponseEntity<String> answer = LocalApi.client(port).get()
                    .uri("/api/v1/conversation/audit/" + id + "/trace?" + refused.getKey()).retrieve()
                    .toEntity(String.class);
            assertThat(answer.getStatusCode().value()).as(refused.getKey()).isEqualTo(400);
            assertThat(answer.getHeaders().getContentType()).as(refused.getKey()).hasToString("application/problem+json");
            assertThat(json.readTree(answer.getBody()).get("field").asText()).as(refused.getKey())
                    .isEqualTo(refused.getValue());
        }
    }

    @Test
    void anErasedConversationsPagesShowItsPersonalValuesErased() throws Exception {
        String owner = TestTokens.user("paging-erased");
        String marker = "mk" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = converse(owner, "I am " + marker + " and I want to apply for a loan", "10000", "36",
                marker + "@example.com");
        assertThat(raw(TestTokens.admin(), "/api/v1/conversation/audit/" + id + "/trace?fromTurn=1&turns=2").getBody())
                .contains(marker);

        ResponseEntity<String> erased = LocalApi.client(port, TestTokens.admin()).delete()
                .uri("/api/v1/conversations/{id}?reason=test", id).retrieve().toEntity(String.class);
        assertThat(erased.getStatusCode().value()).isEqualTo(200);

        for (String page : List.of("fromTurn=1&turns=2", "fromTurn=3&turns=2")) {
            String body = raw(TestTokens.admin(), "/api/v1/conversation/audit/" + id + "/trace?" + page).getBody();
            assertThat(body).as(page).doesNotContain(marker).contains("[erased]");
            assertThat(json.readTree(body).at("/turns/0/userText").asText()).as(page).isEqualTo("[erased]");
        }
    }

    @Test
    void aPageIsReadUnderTheWholeTracesRule() throws Exception {
        String owner = TestTokens.user("paging-owner");
        UUID id = converse(owner, LOAN[0]);
        String page = "/api/v1/conversation/audit/" + id + "/trace?fromTurn=1&turns=1";

        assertThat(raw(owner, page).getStatusCode().value()).isEqualTo(200);
        assertThat(raw(TestTokens.auditor("paging-auditor"), page).getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> stranger = raw(TestTokens.user("paging-stranger"), page);
        assertThat(stranger.getStatusCode().value()).as("another user's conversation is hidden").isEqualTo(404);
        assertThat(stranger.getBody()).doesNotContain("LOAN");
        assertThat(raw(null, page).getStatusCode().value()).isEqualTo(401);
    }

    private UUID converse(String token, String... messages) {
        UUID id = UUID.randomUUID();
        try (ConvtrailApi api = ConvtrailApi.local(port, token)) {
            for (String message : messages) {
                assertThat(api.turn(id, message)).as(message).isEqualTo(200);
            }
        }
        return id;
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> answer = raw(TestTokens.admin(), path);
        assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
        return json.readTree(answer.getBody());
    }

    private ResponseEntity<String> raw(String token, String path) {
        return LocalApi.client(port, token).get().uri(path).retrieve().toEntity(String.class);
    }

    private static List<Integer> indexes(JsonNode trace) {
        List<Integer> indexes = new ArrayList<>();
        trace.get("turns").forEach(turn -> indexes.add(turn.get("index").asInt()));
        return indexes;
    }
}
