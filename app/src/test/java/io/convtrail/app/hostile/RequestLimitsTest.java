package io.convtrail.app.hostile;

import io.convtrail.app.LocalApi;
import io.convtrail.testsupport.PostgresTestConfiguration;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.convtrail.app.hostile.HostileInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The limits on what one client and one conversation may take, with small values so each is reached
 * quickly: every one answers 413 or 429 problem+json (429 with Retry-After). The per-client request
 * rate runs last, since it leaves this client without requests for a while.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.SECRET_PROPERTY, "convtrail.request.per-client-burst=60", "convtrail.request.per-client-rate=1",
        "convtrail.turn.max-turns-per-minute=2", "convtrail.turn.max-conversation-records=30",
        "convtrail.stream.max-per-client=2",
        // a closed stream is noticed on the next write: a short heartbeat frees its slot quickly
        "convtrail.stream.sse.heartbeat=300ms"})
@Import(PostgresTestConfiguration.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequestLimitsTest {

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<HttpResponse<InputStream>> streams = new ArrayList<>();

    @AfterEach
    void closeStreams() throws Exception {
        for (HttpResponse<InputStream> stream : streams) {
            stream.body().close();
        }
    }

    @Test
    @Order(1)
    void aConversationStartsAtMostItsTurnsPerMinute() {
        UUID id = UUID.randomUUID();
        assertThat(turn(id).getStatusCode().value()).isEqualTo(200);
        // the first turn filled the conversation (limit 30 records): the second is refused for that
        ResponseEntity<String> full = turn(id);
        assertProblem(full, 413, "conversation-full");
        assertProblem(turn(id), 429, "turn-rate-exceeded");
        ResponseEntity<String> limited = turn(id);
        assertProblem(limited, 429, "turn-rate-exceeded");
        assertThat(Long.parseLong(limited.getHeaders().getFirst("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    @Order(2)
    void aFullConversationTakesNoFeedback() {
        UUID id = UUID.randomUUID();
        assertThat(turn(id).getStatusCode().value()).isEqualTo(200);
        assertProblem(http().post().uri("/api/v1/conversation/feedback").header("Content-Type", "application/json")
                .body("{\"conversationId\":\"" + id + "\",\"feedbackType\":\"THUMBS_UP\"}")
                .retrieve().toEntity(String.class), 413, "conversation-full");
    }

    @Test
    @Order(3)
    void aClientHoldsAtMostItsStreamsOverSseAndStomp() throws Exception {
        streams.add(openSse());
        streams.add(openSse());
        assertThat(streams).allSatisfy(s -> assertThat(s.statusCode()).isEqualTo(200));

        HttpResponse<InputStream> third = openSse();
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(third.body().readAllBytes())).contains("urn:convtrail:problem:too-many-streams");
        Throwable refused = catchThrowable(() -> client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/ws-convengine"), new WebSocket.Listener() { })
                .join());
        assertThat(refused).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(429));

        streams.remove(0).body().close();
        // polled slowly: every attempt also spends this client's request allowance
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<InputStream> again = openSse();
            streams.add(again);
            return again.statusCode() == 200;
        });
    }

    @Test
    @Order(4)
    void aClientSendsAtMostItsRateButTheActuatorStaysOpen() {
        List<ResponseEntity<String>> answers = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            answers.add(http().get().uri("/api/v1/conversation/audit/{id}", UUID.randomUUID()).retrieve()
                    .toEntity(String.class));
        }
        ResponseEntity<String> limited = answers.get(answers.size() - 1);
        assertProblem(limited, 429, "rate-limited");
        assertThat(limited.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        // at most the burst (earlier tests took part of it) and what refilled meanwhile at 1 a second
        assertThat(answers).filteredOn(a -> a.getStatusCode().value() == 200).hasSizeLessThan(65);
        assertThat(http().get().uri("/actuator/health").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(200);
    }

    private HttpResponse<InputStream> openSse() throws Exception {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/conversation/stream/" + UUID.randomUUID()))
                        .header("Authorization", TestTokens.adminBearer()).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
    }

    private ResponseEntity<String> turn(UUID id) {
        return http().post().uri("/api/v1/conversation/message").header("Content-Type", "application/json")
                .body("{\"conversationId\":\"" + id + "\",\"message\":\"What are your interest rates?\"}")
                .retrieve().toEntity(String.class);
    }

    private RestClient http() {
        return LocalApi.client(port);
    }
}
