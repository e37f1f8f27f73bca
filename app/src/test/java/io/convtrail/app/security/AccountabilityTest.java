package io.convtrail.app.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.security.Role;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.app.stream.StompConnect;
import io.convtrail.testsupport.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What compliance reviewers ask for: every read by an auditor or admin is on record, refusals are
 * counted and logged without the token, a non-admin cannot rebuild, and a stream does not outlive its
 * token.
 */
@ConvtrailIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AccountabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyReadByAnAuditorOrAdminIsRecordedAndListed() throws Exception {
        UUID id = UUID.randomUUID();
        post(TestTokens.user("alice"), id);
        String auditor = TestTokens.auditor("carol");
        LocalApi.client(port, auditor).get().uri("/api/v1/conversation/audit/{id}/trace", id).retrieve().toBodilessEntity();
        LocalApi.client(port, TestTokens.user("alice")).get().uri("/api/v1/conversation/audit/{id}", id)
                .retrieve().toBodilessEntity();
        try (SseTestClient sse = SseTestClient.reading(SseTestClient.attempt(http, URI.create("http://localhost:" + port
                + "/api/v1/conversation/stream/" + id + "?access_token=" + auditor), Map.of()))) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
        }
        StompSession stomp = StompConnect.as(new WebSocketStompClient(new StandardWebSocketClient()),
                "ws://localhost:" + port + "/ws-convengine", auditor, new StompSessionHandlerAdapter() {
                }).get(10, TimeUnit.SECONDS);
        stomp.subscribe("/topic/convengine/audit/" + id, new StompSessionHandlerAdapter() {
        });
        // a SUBSCRIBE is answered by nothing: wait until the server has handled it
        await().atMost(WAIT).until(() -> access(id, auditor).size() == 3);
        LocalApi.client(port).get().uri("/api/v1/conversation/audit/{id}/verify", id).retrieve().toBodilessEntity();

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode access = access(id, auditor);
            assertThat(access.findValuesAsText("subject"))
                    .containsExactly("carol", "carol", "carol", TestTokens.ADMIN_SUBJECT);
            assertThat(access.findValuesAsText("channel")).containsExactly("http", "sse", "stomp", "http");
            assertThat(access.findValuesAsText("endpoint")).containsExactly(
                    "GET /api/v1/conversation/audit/" + id + "/trace", "GET /api/v1/conversation/stream/" + id,
                    "SUBSCRIBE /topic/convengine/audit/" + id, "GET /api/v1/conversation/audit/" + id + "/verify");
            assertThat(access.get(0).get("roles").get(0).asText()).isEqualTo("auditor");
            assertThat(access.get(0).get("accessedAt").asText()).isNotBlank();
        });
        stomp.disconnect();
    }

    @Test
    void refusedAttemptsAreCountedByChannelAndLoggedWithoutTheToken(CapturedOutput log) throws Exception {
        double httpBefore = denied("http");
        double sseBefore = denied("sse");
        String forged = Callers.forged();
        UUID id = UUID.randomUUID();
        LocalApi.client(port, forged).get().uri("/api/v1/conversation/audit/{id}", id).retrieve().toBodilessEntity();
        assertThat(SseTestClient.attempt(http, URI.create("http://localhost:" + port + "/api/v1/conversation/stream/"
                + id + "?access_token=" + forged), Map.of()).statusCode()).isEqualTo(401);

        assertThat(denied("http")).isEqualTo(httpBefore + 1);
        assertThat(denied("sse")).isEqualTo(sseBefore + 1);
        assertThat(log.getOut()).contains("Refused http GET /api/v1/conversation/audit/" + id + " for anonymous: unauthenticated")
                .contains("Refused sse GET /api/v1/conversation/stream/" + id + " for anonymous: unauthenticated")
                .doesNotContain(forged).doesNotContain(forged.substring(forged.lastIndexOf('.') + 1));
    }

    @Test
    void aRebuildAskedForByAnyoneButAnAdminChangesNothing() {
        JsonNode before = LocalApi.client(port).get().uri("/actuator/projections").retrieve().body(JsonNode.class);
        for (String token : List.of(TestTokens.user("alice"), TestTokens.auditor("carol"), Callers.forged(),
                Callers.unsigned())) {
            int status = LocalApi.client(port, token).post().uri("/actuator/projections")
                    .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toBodilessEntity()
                    .getStatusCode().value();
            assertThat(status).isIn(401, 403);
        }
        assertThat(LocalApi.client(port, null).post().uri("/actuator/projections").contentType(MediaType.APPLICATION_JSON)
                .body("{}").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(401);
        JsonNode after = LocalApi.client(port).get().uri("/actuator/projections").retrieve().body(JsonNode.class);
        for (String projection : List.of("audit", "trace")) {
            assertThat(after.at("/projections/" + projection + "/lastRebuildStartedAt"))
                    .isEqualTo(before.at("/projections/" + projection + "/lastRebuildStartedAt"));
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresAndResumesWithAFreshOne() throws Exception {
        UUID id = UUID.randomUUID();
        post(TestTokens.user("alice"), id);
        String shortLived = TestTokens.token("alice", Duration.ofSeconds(3), Role.USER);
        long lastSeen;
        try (SseTestClient sse = SseTestClient.open(http, URI.create("http://localhost:" + port
                + "/api/v1/conversation/stream/" + id + "?replay=true"), Map.of("Authorization", TestTokens.bearer(shortLived)))) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
            List<SseTestClient.Event> turn = sse.next(5, WAIT);
            lastSeen = turn.get(turn.size() - 1).sequence();
            await().atMost(Duration.ofSeconds(8)).until(sse::ended);
        }
        post(TestTokens.user("alice"), id);
        try (SseTestClient resumed = SseTestClient.open(http, URI.create("http://localhost:" + port
                        + "/api/v1/conversation/stream/" + id),
                Map.of("Authorization", TestTokens.bearer(TestTokens.user("alice")), "Last-Event-ID", String.valueOf(lastSeen)))) {
            assertThat(resumed.next(WAIT).name()).isEqualTo("CONNECTED");
            assertThat(resumed.next(WAIT).sequence()).isEqualTo(lastSeen + 1);
        }
    }

    private JsonNode access(UUID id, String token) {
        return LocalApi.client(port, token).get().uri("/api/v1/conversation/audit/{id}/access", id)
                .retrieve().body(JsonNode.class);
    }

    private double denied(String channel) {
        Counter counter = meters.find("convtrail.security.denied").tag("channel", channel)
                .tag("reason", "unauthenticated").counter();
        return counter == null ? 0 : counter.count();
    }

    private void post(String token, UUID conversation) {
        assertThat(LocalApi.client(port, token).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversation + "\",\"message\":\"What are your interest rates?\"}")
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
    }
}
