package io.convtrail.app.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /api/v1/conversations against the running service: three conversations of two users, found by
 * every filter, paged newest first, narrowed to the caller's own for a user, refused with problem+json
 * for bad input, and found again after the index is rebuilt. A marker word unique to each test keeps
 * the conversations other tests leave in the shared database out of the answers.
 */
@ConvtrailIntegrationTest
class ConversationListTest {

    @LocalServerPort
    int port;

    String marker;
    String alice;
    String bob;
    UUID rates;
    UUID blocked;
    UUID loan;

    @BeforeEach
    void twoUsersHaveThreeConversations() {
        marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        alice = "alice-" + marker;
        bob = "bob-" + marker;
        rates = say(alice, "What are your interest rates? " + marker);
        blocked = say(alice, "My card is 4111 1111 1111 1111 " + marker);
        loan = say(bob, "I want to apply for a loan " + marker);
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(admin(), "q=" + marker).size() == 3
                && summary(loan).get("lastState").asText().equals("COLLECTING"));
    }

    @Test
    void everyFilterFindsItsConversations() {
        JsonNode summary = summary(rates);
        assertThat(summary.get("owner").asText()).isEqualTo(alice);
        assertThat(summary.get("turns").asInt()).isEqualTo(1);
        assertThat(summary.get("lastIntent").asText()).isEqualTo("FAQ_RATES");
        assertThat(summary.get("outcomes").get("answered").asInt()).isEqualTo(1);
        assertThat(summary.get("flowId").asText()).isNotBlank();
        String flowVersion = summary.get("flowVersion").asText();
        assertThat(flowVersion).hasSize(64);
        assertThat(summary(blocked).get("outcomes").get("blocked").asInt()).isEqualTo(1);

        assertThat(ids(admin(), "q=" + marker.toUpperCase())).containsExactly(loan, blocked, rates);
        assertThat(ids(admin(), "q=interest%20RATES%3F%20" + marker)).containsExactly(rates);
        assertThat(ids(admin(), "q=" + marker + "%25")).as("% is matched literally").isEmpty();
        assertThat(ids(admin(), "q=" + marker + "&intent=FAQ_RATES")).containsExactly(rates);
        assertThat(ids(admin(), "q=" + marker + "&state=COLLECTING")).containsExactly(loan);
        assertThat(ids(admin(), "q=" + marker + "&outcome=BLOCKED")).containsExactly(blocked);
        assertThat(ids(admin(), "q=" + marker + "&outcome=failed")).isEmpty();
        assertThat(ids(admin(), "q=" + marker + "&owner=" + bob)).containsExactly(loan);
        assertThat(ids(admin(), "q=" + marker + "&flowVersion=" + flowVersion)).containsExactly(loan, blocked, rates);
        assertThat(ids(admin(), "q=" + marker + "&flowVersion=" + "0".repeat(64))).isEmpty();
        Instant now = Instant.now();
        assertThat(ids(admin(), "q=" + marker + "&from=" + now.minusSeconds(600) + "&to=" + now.plusSeconds(60)))
                .containsExactly(loan, blocked, rates);
        assertThat(ids(admin(), "q=" + marker + "&from=" + now.plusSeconds(600))).isEmpty();
        assertThat(ids(admin(), "q=" + marker + "&to=" + now.minusSeconds(600))).isEmpty();
    }

    @Test
    void pagesFollowEachOtherNewestFirstUntilTheLast() {
        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get(admin(), "q=" + marker + "&limit=1" + (cursor == null ? "" : "&cursor=" + cursor))
                    .getBody();
            assertThat(page.get("conversations")).hasSize(1);
            seen.add(UUID.fromString(page.get("conversations").get(0).get("conversationId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly(loan, blocked, rates);
        assertThat(get(admin(), "q=" + marker + "&limit=2").getBody().get("nextCursor").isNull()).isFalse();
        assertThat(get(admin(), "q=" + marker + "&limit=3").getBody().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aUserSeesOnlyTheirOwnAuditorsAndAdminsSeeAll() {
        RestClient aliceClient = LocalApi.client(port, TestTokens.user(alice));
        assertThat(ids(aliceClient, "q=" + marker)).containsExactly(blocked, rates);
        assertThat(ids(aliceClient, "q=" + marker + "&owner=" + alice)).containsExactly(blocked, rates);
        assertThat(ids(LocalApi.client(port, TestTokens.user(bob)), "q=" + marker)).containsExactly(loan);
        assertThat(ids(LocalApi.client(port, TestTokens.auditor("carol")), "q=" + marker))
                .containsExactly(loan, blocked, rates);
        problem(get(aliceClient, "q=" + marker + "&owner=" + bob), "owner");
        assertThat(get(LocalApi.client(port, null), "q=" + marker).getStatusCode().value()).isEqualTo(401);
    }

    @Test
    void badFiltersAreRefusedWithAProblem() {
        problem(get(admin(), "limit=0"), "limit");
        problem(get(admin(), "limit=201"), "limit");
        problem(get(admin(), "from=yesterday"), "from");
        problem(get(admin(), "to=2026-13-01T00:00:00Z"), "to");
        problem(get(admin(), "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), "from");
        problem(get(admin(), "outcome=maybe"), "outcome");
        problem(get(admin(), "cursor=not-a-cursor"), "cursor");
        problem(get(admin(), "cursor=YzE6eDp5"), "cursor");
        problem(get(admin(), "q=" + "x".repeat(256)), "q");
        problem(get(admin(), "intent=a%00b"), "intent");
    }

    @Test
    void aRebuildRefillsTheIndex() {
        LocalApi.strict(port).post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("projection", "conversation-index")).retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(admin(), "q=" + marker).size() == 3);
        assertThat(summary(blocked).get("outcomes").get("blocked").asInt()).isEqualTo(1);
        assertThat(summary(rates).get("owner").asText()).isEqualTo(alice);
    }

    private RestClient admin() {
        return LocalApi.client(port);
    }

    private UUID say(String user, String message) {
        UUID id = UUID.randomUUID();
        LocalApi.client(port, TestTokens.user(user)).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("conversationId", id.toString(), "message", message))
                .retrieve().toBodilessEntity();
        return id;
    }

    private JsonNode summary(UUID id) {
        for (JsonNode c : get(admin(), "q=" + marker).getBody().get("conversations")) {
            if (c.get("conversationId").asText().equals(id.toString())) {
                return c;
            }
        }
        throw new AssertionError("conversation " + id + " not listed");
    }

    private List<UUID> ids(RestClient client, String query) {
        ResponseEntity<JsonNode> response = get(client, query);
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(200);
        List<UUID> ids = new ArrayList<>();
        response.getBody().get("conversations").forEach(c -> ids.add(UUID.fromString(c.get("conversationId").asText())));
        return ids;
    }

    private ResponseEntity<JsonNode> get(RestClient client, String query) {
        // a URI, not a template: the query is sent exactly as written (already encoded)
        return client.get().uri(URI.create("http://localhost:" + port + "/api/v1/conversations?" + query))
                .retrieve().toEntity(JsonNode.class);
    }

    private static void problem(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().get("field").asText()).isEqualTo(field);
    }
}
