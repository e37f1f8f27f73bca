package io.convtrail.app.stream;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.UnderLoadProperties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.client.RestClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many subscribers at once, and many that come and go. A short heartbeat ({@link UnderLoadProperties})
 * makes the server notice closed connections quickly.
 */
@ConvtrailIntegrationTest
@UnderLoadProperties
class StreamLoadTest extends StreamClientTest {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadTest.class);

    static final Duration WAIT = Duration.ofSeconds(60);


    @Test
    void twoHundredSubscribersOnFiftyConversationsAllReceiveCompleteOrderedStreams() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(UUID.randomUUID());
        }
        List<SseTestClient> clients = new ArrayList<>();
        ExecutorService turns = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(SseTestClient.open(http, stream(ids.get(i % 50), ""), Map.of()));
            }
            for (SseTestClient client : clients) {
                assertThat(client.next(WAIT).name()).isEqualTo("CONNECTED");
            }
            long connected = System.nanoTime();
            List<Future<?>> posted = new ArrayList<>();
            for (UUID id : ids) {
                posted.add(turns.submit(() -> conversations.turn(id, "what is the APR?")));
            }
            for (Future<?> future : posted) {
                future.get(60, TimeUnit.SECONDS);
            }
            long answered = System.nanoTime();
            Map<UUID, List<StreamEvent>> storedById = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                List<StreamEvent> stored = storedById.computeIfAbsent(ids.get(i % 50), conversations::storedStream);
                List<SseTestClient.Event> received = clients.get(i).next(stored.size(), WAIT);
                assertThat(received).extracting(SseTestClient.Event::sequence).as("subscriber %d", i)
                        .containsExactlyElementsOf(stored.stream().map(StreamEvent::sequence).toList());
                for (int k = 0; k < stored.size(); k++) {
                    assertThat(conversations.parse(received.get(k).data()))
                            .isEqualTo(conversations.toJson(stored.get(k).envelope()));
                }
            }
            assertThat(clients.get(0).comments()).as("heartbeat comments").isPositive();
            log.info("200 SSE subscribers on 50 conversations: turns answered {} ms after connect, "
                            + "all {} events received and checked {} ms later",
                    TimeUnit.NANOSECONDS.toMillis(answered - connected),
                    storedById.values().stream().mapToInt(List::size).sum() * 4,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered));
        } finally {
            turns.shutdownNow();
            clients.forEach(SseTestClient::close);
        }
        awaitNoLiveSubscribers();
    }

    @Test
    void aThousandSseConnectDisconnectCyclesAndStompOnesLeaveNoSubscriberBehind() throws Exception {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "something to replay");
        for (int cycle = 0; cycle < 1_000; cycle++) {
            // every third one replays, so some are cut in the middle of their catch-up
            try (SseTestClient client = SseTestClient.open(http,
                    stream(id, cycle % 3 == 0 ? "?replay=true" : ""), Map.of())) {
                assertThat(client.next(WAIT).name()).isEqualTo("CONNECTED");
            }
        }
        WebSocketStompClient stomp = new WebSocketStompClient(new StandardWebSocketClient());
        for (int cycle = 0; cycle < 100; cycle++) {
            StompSession session = StompConnect.asAdmin(stomp, "ws://localhost:" + port + "/ws-convengine",
                    new StompSessionHandlerAdapter() {
                    }).get(10, TimeUnit.SECONDS);
            StompSession.Subscription subscription = session.subscribe("/topic/convengine/audit/" + id,
                    new StompStreamTest.Received());
            if (cycle % 2 == 0) {
                subscription.unsubscribe();
            }
            session.disconnect();
        }
        awaitNoLiveSubscribers();
    }

    /** Read through the actuator, as an operator would. */
    private void awaitNoLiveSubscribers() {
        RestClient actuator = LocalApi.strict(port);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String metric : List.of("convtrail.stream.subscribers?tag=transport:sse",
                    "convtrail.stream.subscribers?tag=transport:stomp", "convtrail.stream.conversations")) {
                JsonNode gauge = actuator.get().uri("/actuator/metrics/" + metric).retrieve().body(JsonNode.class);
                assertThat(gauge.get("measurements").get(0).get("value").asDouble()).as(metric).isZero();
            }
        });
    }
}
