package io.convtrail.app.stream;

import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code broker=relay} swaps the in-memory broker for a relay to the configured external broker
 * (none runs here: the relay keeps retrying), and SSE does not depend on it.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {
        "convtrail.stream.stomp.broker=relay",
        "convtrail.stream.stomp.relay.host=127.0.0.1",
        "convtrail.stream.stomp.relay.port=61999",
        "convtrail.stream.stomp.relay.login=convtrail",
        "convtrail.stream.stomp.relay.passcode=secret",
        "convtrail.stream.stomp.relay.virtual-host=/convtrail"})
class StompRelayConfigurationTest {

    @Autowired
    List<AbstractBrokerMessageHandler> brokers;
    @LocalServerPort
    int port;

    @Test
    void theRelayTargetsTheConfiguredBrokerAndSseStillStreams() {
        assertThat(brokers).hasSize(1).first().isInstanceOf(StompBrokerRelayMessageHandler.class);
        StompBrokerRelayMessageHandler relay = (StompBrokerRelayMessageHandler) brokers.get(0);
        assertThat(relay.getRelayHost()).isEqualTo("127.0.0.1");
        assertThat(relay.getRelayPort()).isEqualTo(61999);
        assertThat(relay.getClientLogin()).isEqualTo("convtrail");
        assertThat(relay.getSystemPasscode()).isEqualTo("secret");
        assertThat(relay.getVirtualHost()).isEqualTo("/convtrail");
        assertThat(relay.getDestinationPrefixes()).containsExactly("/topic");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SseTestClient sse = SseTestClient.open(http, URI.create("http://localhost:" + port
                + "/api/v1/conversation/stream/" + UUID.randomUUID()), Map.of())) {
            assertThat(sse.next(Duration.ofSeconds(10)).name()).isEqualTo("CONNECTED");
        }
    }
}
