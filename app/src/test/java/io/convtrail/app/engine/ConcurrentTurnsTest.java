package io.convtrail.app.engine;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One open turn per conversation: a second turn waits a bounded time, then gets 409; turns never interleave. */
@ConvtrailIntegrationTest
@SlowToolProperties
class ConcurrentTurnsTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStoreProbe storeProbe;

    @Test
    void aTurnArrivingDuringALongTurnWaitsThenGets409AndRecordsNothing() throws Exception {
        ConversationClient client = new ConversationClient(port);
        client.say("I want to apply for a loan");
        client.say("15000 over 36 months");
        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> client.say("jane@example.com"));
        await().atMost(Duration.ofSeconds(5)).until(() -> turnsStarted(client) == 3);

        long started = System.nanoTime();
        ResponseEntity<String> second = client.http().post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("conversationId", client.conversationId.toString(), "message", "what is the APR?"))
                .retrieve().toEntity(String.class);
        long waitedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(second.getStatusCode().value()).isEqualTo(409);
        assertThat(second.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(second.getHeaders().getFirst("Retry-After")).as("every 409 says when to retry").isEqualTo("1");
        assertThat(client.read(second.getBody()).get("type").asText()).isEqualTo("urn:convtrail:problem:turn-in-progress");
        assertThat(waitedMs).as("waited the busy wait before answering 409").isGreaterThanOrEqualTo(450);
        assertThat(slow.get(10, TimeUnit.SECONDS).get("state").asText()).isEqualTo("CONFIRMING");
        assertThat(turnsStarted(client)).as("the refused turn never opened").isEqualTo(3);

        assertThat(client.say("yes").get("state").asText()).isEqualTo("COMPLETED");
        assertTurnsNeverInterleave(client, 4);
    }

    @Test
    void twoTurnsPostedTogetherOnANewConversationRunOneAfterTheOther() throws Exception {
        ConversationClient client = new ConversationClient(port);

        CompletableFuture<JsonNode> a = CompletableFuture.supplyAsync(() -> client.say("what is the APR?"));
        CompletableFuture<JsonNode> b = CompletableFuture.supplyAsync(() -> client.say("what is your interest rate?"));

        assertThat(a.get(10, TimeUnit.SECONDS).get("success").asBoolean()).isTrue();
        assertThat(b.get(10, TimeUnit.SECONDS).get("success").asBoolean()).isTrue();
        assertTurnsNeverInterleave(client, 2);
    }

    private long turnsStarted(ConversationClient client) {
        return storeProbe.events(client.conversationId, EventStoreProbe.TURN_STARTED);
    }

    /** In the event store, each turn's events form one block: a turn id never comes back after another's. */
    private void assertTurnsNeverInterleave(ConversationClient client, int turns) {
        List<String> turnIds = storeProbe.payloads(client.conversationId, null).stream()
                .map(payload -> payload.path("turnId").asText(null)).toList();
        Set<String> closed = new HashSet<>();
        String current = null;
        for (String turnId : turnIds) {
            if (!Objects.equals(turnId, current)) {
                assertThat(closed).as("turn %s resumed after another turn's events", turnId).doesNotContain(turnId);
                if (current != null) {
                    closed.add(current);
                }
                current = turnId;
            }
        }
        closed.add(current);
        assertThat(closed).hasSize(turns);
    }
}
