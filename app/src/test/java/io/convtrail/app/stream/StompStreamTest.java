package io.convtrail.app.stream;

import io.convtrail.testsupport.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.query.stream.ConversationStreamHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP with Spring's real clients, over SockJS and over plain WebSocket, side by side with SSE:
 * the same envelopes in the same order.
 */
@ConvtrailIntegrationTest
class StompStreamTest extends StreamClientTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    ConversationStreamHub hub;

    final List<StompSession> sessions = new ArrayList<>();

    @AfterEach
    void disconnect() {
        sessions.stream().filter(StompSession::isConnected).forEach(StompSession::disconnect);
    }

    @Test
    void sockJsPlainWebSocketAndSseCarryTheSameEnvelopesInTheSameOrder() {
        UUID id = UUID.randomUUID();
        Received overSockJs = subscribe(sockJs(), "http://localhost:" + port + "/ws-convengine", id);
        Received overWebSocket = subscribe(plainWebSocket(), "ws://localhost:" + port + "/ws-convengine", id);
        try (SseTestClient sse = SseTestClient.open(http, stream(id, ""), Map.of())) {
            sse.next(WAIT);
            conversations.turn(id, "hello");
            conversations.turn(id, "once more");
            List<StreamEvent> stored = conversations.storedStream(id);
            List<SseTestClient.Event> streamed = sse.next(stored.size(), WAIT);

            for (Received stomp : List.of(overSockJs, overWebSocket)) {
                List<Message> messages = stomp.next(stored.size());
                assertThat(messages).extracting(Message::sequence)
                        .containsExactlyElementsOf(stored.stream().map(StreamEvent::sequence).toList());
                for (int i = 0; i < stored.size(); i++) {
                    JsonNode body = conversations.parse(messages.get(i).body());
                    EnvelopeSchema.assertValid(body);
                    assertThat(body).isEqualTo(conversations.toJson(stored.get(i).envelope()));
                    assertThat(body).as("STOMP body = SSE data").isEqualTo(conversations.parse(streamed.get(i).data()));
                }
                assertThat(stomp.silentFor(Duration.ofMillis(200))).isTrue();
            }
        }
    }

    @Test
    void aTopicCarriesOnlyItsConversation() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Received onA = subscribe(plainWebSocket(), "ws://localhost:" + port + "/ws-convengine", a);
        conversations.turn(b, "for b");
        conversations.turn(a, "for a");
        conversations.turn(b, "for b again");
        List<StreamEvent> storedA = conversations.storedStream(a);
        conversations.storedStream(b);
        assertThat(onA.next(storedA.size())).extracting(Message::sequence)
                .containsExactlyElementsOf(storedA.stream().map(StreamEvent::sequence).toList());
        assertThat(onA.silentFor(Duration.ofMillis(300))).isTrue();
    }

    @Test
    void clientsCannotPublishToAConversationTopic() {
        UUID id = UUID.randomUUID();
        Received listener = subscribe(plainWebSocket(), "ws://localhost:" + port + "/ws-convengine", id);
        StompSession forger = connect(plainWebSocket(), "ws://localhost:" + port + "/ws-convengine");
        forger.send("/topic/convengine/audit/" + id, "{\"eventType\":\"AUDIT\",\"stage\":\"FORGED\"}".getBytes());
        assertThat(listener.silentFor(Duration.ofMillis(500))).as("the forged frame reached nobody").isTrue();
        await().atMost(WAIT).until(() -> !forger.isConnected());
    }

    @Test
    void originsOutsideTheAllowedPatternsAreRefusedOnBothTransports() throws Exception {
        URI sockJsInfo = URI.create("http://localhost:" + port + "/ws-convengine/info");
        URI sse = stream(UUID.randomUUID(), "");
        for (URI uri : List.of(sockJsInfo, sse)) {
            assertThat(get(uri, "https://evil.example").statusCode()).as(uri.toString()).isEqualTo(403);
        }
        assertThat(get(sockJsInfo, "http://localhost:5173").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> allowed = http.send(HttpRequest.newBuilder(sse)
                .header("Origin", "http://localhost:5173").header("Authorization", TestTokens.adminBearer()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = allowed.body()) {
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
        }
    }

    private HttpResponse<String> get(URI uri, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Origin", origin).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private WebSocketStompClient sockJs() {
        return new WebSocketStompClient(new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
    }

    private WebSocketStompClient plainWebSocket() {
        return new WebSocketStompClient(new StandardWebSocketClient());
    }

    private StompSession connect(WebSocketStompClient client, String url) {
        try {
            StompSession session = StompConnect.asAdmin(client, url, new StompSessionHandlerAdapter() {
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sessions.add(session);
            return session;
        } catch (Exception e) {
            throw new AssertionError("STOMP connect to " + url + " failed", e);
        }
    }

    /** Subscribes and waits until the subscription is fed, so nothing committed after is missed. */
    private Received subscribe(WebSocketStompClient client, String url, UUID conversationId) {
        String destination = "/topic/convengine/audit/" + conversationId;
        StompSession session = connect(client, url);
        Received received = new Received();
        int before = stompSubscriptions(destination);
        session.subscribe(destination, received);
        await().atMost(WAIT).until(() -> stompSubscriptions(destination) > before);
        return received;
    }

    private int stompSubscriptions(String destination) {
        return stompSubscribers(hub, destination);
    }

    /** How many fed STOMP subscriptions a conversation topic has on this node. */
    static int stompSubscribers(ConversationStreamHub hub, String destination) {
        return hub.subscribers(UUID.fromString(destination.substring(destination.lastIndexOf('/') + 1)), "stomp");
    }

    record Message(long sequence, String body) {
    }

    /** Frames of one subscription, in arrival order. */
    static final class Received implements StompFrameHandler {
        private final BlockingQueue<Message> frames = new LinkedBlockingQueue<>();

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return byte[].class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            String sequence = headers.getFirst("sequence");
            frames.add(new Message(sequence == null ? -1 : Long.parseLong(sequence),
                    new String((byte[]) payload, StandardCharsets.UTF_8)));
        }

        List<Message> next(int count) {
            List<Message> taken = new ArrayList<>();
            try {
                while (taken.size() < count) {
                    Message message = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (message == null) {
                        throw new AssertionError("STOMP: " + taken.size() + " of " + count + " messages arrived");
                    }
                    taken.add(message);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return taken;
        }

        boolean silentFor(Duration quiet) {
            try {
                return frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
