package io.convtrail.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.query.stream.ConversationStreamHub;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Non-default stream settings: {@code broker=relay} swaps the in-memory broker for a relay to the
 * configured external broker (none runs here: the relay keeps retrying, and SSE does not depend on
 * it, and the node's health shows the broker DOWN while it stays in service), and a short emitter timeout ends a stream that the client then resumes.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {
        "convtrail.stream.stomp.broker=relay",
        "convtrail.stream.stomp.relay.host=127.0.0.1",
        "convtrail.stream.stomp.relay.port=61999",
        "convtrail.stream.stomp.relay.login=convtrail",
        "convtrail.stream.stomp.relay.passcode=secret",
        "convtrail.stream.stomp.relay.virtual-host=/convtrail",
        "convtrail.stream.sse.emitter-timeout=1500ms"})
class StreamSettingsTest extends StreamClientTest {

    @Autowired
    List<AbstractBrokerMessageHandler> brokers;
    @Autowired
    ConversationStreamHub hub;

    @Test
    void theRelayTargetsTheConfiguredBroker() {
        assertThat(brokers).hasSize(1).first().isInstanceOf(StompBrokerRelayMessageHandler.class);
        StompBrokerRelayMessageHandler relay = (StompBrokerRelayMessageHandler) brokers.get(0);
        assertThat(relay.getRelayHost()).isEqualTo("127.0.0.1");
        assertThat(relay.getRelayPort()).isEqualTo(61999);
        assertThat(relay.getClientLogin()).isEqualTo("convtrail");
        assertThat(relay.getSystemPasscode()).isEqualTo("secret");
        assertThat(relay.getVirtualHost()).isEqualTo("/convtrail");
        assertThat(relay.getDestinationPrefixes()).containsExactly("/topic");
    }

    @Test
    void withoutItsBrokerTheNodeShowsItDownAndStaysInService() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .header("authorization", TestTokens.adminBearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("still in service").isEqualTo(200);
        JsonNode health = new ObjectMapper().readTree(answer.body());
        assertThat(health.at("/components/stompBroker/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.at("/components/stompBroker/description").asText()).as("says what is down")
                .startsWith("the STOMP broker relay is not connected");
        assertThat(health.at("/components/stompBroker/details/broker").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/stompBroker/details/relay").asText()).isEqualTo("127.0.0.1:61999");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void aStreamEndsAtItsEmitterTimeoutAndTheClientResumesWhereItWas() {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "before the timeout");
        int stored = conversations.storedStream(id).size();
        URI uri = stream(id, "?replay=true");

        String lastId;
        try (SseTestClient sse = SseTestClient.open(http, uri, Map.of())) {
            sse.next(Duration.ofSeconds(10));
            List<SseTestClient.Event> events = sse.next(stored, Duration.ofSeconds(10));
            lastId = events.get(events.size() - 1).id();
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscribers("sse") == 0);

        conversations.turn(id, "after the timeout");
        int total = conversations.storedStream(id).size();
        try (SseTestClient resumed = SseTestClient.open(http, uri, Map.of("Last-Event-ID", lastId))) {
            assertThat(resumed.next(Duration.ofSeconds(10)).id()).isEqualTo(lastId);
            assertThat(resumed.next(total - stored, Duration.ofSeconds(10))).extracting(SseTestClient.Event::sequence)
                    .first().isEqualTo(Long.parseLong(lastId) + 1);
        }
    }
}
