package io.convtrail.app.security;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.LocalApi;
import io.convtrail.app.security.Callers.Caller;
import io.convtrail.app.security.Callers.Kind;
import io.convtrail.app.stream.StompConnect;
import io.convtrail.query.stream.ConversationStreamHub;
import io.convtrail.testsupport.TestTokens;
import io.convtrail.api.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP over SockJS and plain WebSocket with Spring's real client: CONNECT needs a valid bearer
 * token in the frame, every SUBSCRIBE is authorized for its conversation, wildcards and other
 * destinations are refused; a refusal is an ERROR frame, the connection closes, and nothing arrives.
 */
@ConvtrailIntegrationTest
class StompSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);

    @LocalServerPort
    int port;

    @Autowired
    ConversationStreamHub hub;

    @Autowired
    StompAuthorization authorization;

    final List<StompSession> sessions = new ArrayList<>();
    UUID own;
    UUID other;

    @BeforeEach
    void twoUsersEachStartAConversation() {
        own = UUID.randomUUID();
        other = UUID.randomUUID();
        post(Callers.all().get(0).token(), own);
        post(Callers.other().token(), other);
    }

    @AfterEach
    void disconnect() {
        sessions.stream().filter(StompSession::isConnected).forEach(StompSession::disconnect);
    }

    @Test
    void connectWithoutAValidTokenGetsAnErrorFrameAndTheConnectionCloses() {
        for (Transport transport : Transport.values()) {
            for (Caller caller : Callers.all()) {
                if (caller.kind() != Kind.ANONYMOUS && caller.kind() != Kind.BAD_TOKEN) {
                    continue;
                }
                Frames frames = new Frames();
                StompSession session = tryConnect(transport, caller.token(), frames);
                assertThat(frames.error(WAIT)).as(transport + " " + caller).isNotNull();
                if (session != null) {
                    await().atMost(WAIT).until(() -> !session.isConnected());
                }
            }
        }
    }

    @Test
    void everySubscribeIsAuthorizedForItsConversation() {
        for (Transport transport : Transport.values()) {
            for (Caller caller : Callers.all()) {
                if (caller.kind() == Kind.ANONYMOUS || caller.kind() == Kind.BAD_TOKEN) {
                    continue;
                }
                for (boolean ownConversation : List.of(true, false)) {
                    UUID target = ownConversation ? own : other;
                    boolean allowed = caller.kind() == Kind.ADMIN || caller.kind() == Kind.AUDITOR
                            || (caller.kind() == Kind.OWNER && ownConversation);
                    String what = transport + " " + caller + (ownConversation ? " own" : " other");
                    Frames frames = new Frames();
                    StompSession session = connect(transport, caller.token(), frames);
                    String destination = "/topic/convengine/audit/" + target;
                    int before = subscriptions(destination);
                    session.subscribe(destination, frames);
                    if (allowed) {
                        await().atMost(WAIT).until(() -> subscriptions(destination) > before);
                        post(TestTokens.admin(), target);
                        assertThat(frames.message(WAIT)).as(what + " receives the turn").isNotNull();
                    } else {
                        assertThat(frames.error(WAIT)).as(what + " gets an ERROR frame").isNotNull();
                        post(TestTokens.admin(), target);
                        assertThat(frames.message(QUIET)).as(what + " receives nothing").isNull();
                        await().atMost(WAIT).until(() -> !session.isConnected());
                    }
                }
            }
        }
    }

    @Test
    void wildcardsPatternsAndOtherDestinationsAreRefusedEvenForAnAdmin() {
        for (Transport transport : Transport.values()) {
            List<Frames> refused = new ArrayList<>();
            for (String destination : List.of("/topic/**", "/topic/*", "/topic/convengine/audit/*",
                    "/topic/convengine/audit/**", "/topic/convengine/audit/" + other + "/x", "/topic/convengine/#",
                    "/topic/convengine/audit/not-a-uuid", "/queue/anything", "/user/queue/errors", "/app/x")) {
                Frames frames = new Frames();
                StompSession session = connect(transport, TestTokens.admin(), frames);
                session.subscribe(destination, frames);
                assertThat(frames.error(WAIT)).as(transport + " " + destination).isNotNull();
                refused.add(frames);
            }
            post(TestTokens.admin(), other);
            assertThat(refused.get(0).message(QUIET)).as(transport + ": nothing arrives").isNull();
            assertThat(refused).as(transport + ": nothing arrives on any refused subscription")
                    .allSatisfy(frames -> assertThat(frames.message(Duration.ZERO)).isNull());
        }
    }

    @Test
    void aSessionIsClosedWhenItsTokenExpires() {
        for (Transport transport : Transport.values()) {
            Frames frames = new Frames();
            String shortLived = TestTokens.token(Callers.OWNER, Duration.ofSeconds(3), Role.USER);
            StompSession session = connect(transport, shortLived, frames);
            String destination = "/topic/convengine/audit/" + own;
            int before = subscriptions(destination);
            session.subscribe(destination, frames);
            await().atMost(WAIT).until(() -> subscriptions(destination) > before);
            assertThat(frames.error(Duration.ofSeconds(8))).as(transport + ": ERROR at expiry").isNotNull();
            await().atMost(WAIT).until(() -> !session.isConnected());
            // the set-up turn may have reached the topic late, while the session was live: not what is asked here
            frames.forgetMessages();
            post(TestTokens.admin(), own);
            assertThat(frames.message(QUIET)).as(transport + ": nothing after expiry").isNull();
        }
    }

    @Test
    void aClosedSessionLeavesNothingWaitingForItsTokensExpiry() {
        // a day's token: its expiry task, cancelled when the session closes, must not wait out the day
        for (Transport transport : Transport.values()) {
            await().pollDelay(Duration.ofMillis(300)).until(() -> true); // refusals of earlier tests sent
            int before = authorization.pendingTasks();
            Frames frames = new Frames();
            StompSession session = connect(transport, TestTokens.token(Callers.OWNER, Duration.ofDays(1), Role.USER),
                    frames);
            session.subscribe("/topic/convengine/audit/" + own, frames);
            await().atMost(WAIT).until(() -> authorization.pendingTasks() > before);
            session.disconnect();
            await().atMost(WAIT).untilAsserted(() -> assertThat(authorization.pendingTasks())
                    .as(transport + ": tasks waiting after the session closed").isLessThanOrEqualTo(before));
        }
    }

    private StompSession connect(Transport transport, String token, Frames frames) {
        StompSession session = tryConnect(transport, token, frames);
        assertThat(session).as("connected over " + transport).isNotNull();
        return session;
    }

    private StompSession tryConnect(Transport transport, String token, Frames frames) {
        try {
            StompSession session = StompConnect.as(transport.client(), transport.url(port), token, frames)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sessions.add(session);
            return session;
        } catch (Exception refused) {
            return null;
        }
    }

    private void post(String token, UUID conversation) {
        assertThat(LocalApi.client(port, token).post().uri("/api/v1/conversation/message")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversation + "\",\"message\":\"What are your interest rates?\"}")
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
    }

    private int subscriptions(String destination) {
        // a subscription to a conversation topic is fed by the hub (it never reaches the broker)
        return hub.subscribers(UUID.fromString(destination.substring(destination.lastIndexOf('/') + 1)), "stomp");
    }

    enum Transport {
        SOCKJS, WEBSOCKET;

        WebSocketStompClient client() {
            return this == SOCKJS
                    ? new WebSocketStompClient(new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))))
                    : new WebSocketStompClient(new StandardWebSocketClient());
        }

        String url(int port) {
            return (this == SOCKJS ? "http" : "ws") + "://localhost:" + port + "/ws-convengine";
        }
    }

    /** ERROR frames (to the session handler) and MESSAGE frames (to the subscription), as they arrive. */
    static final class Frames extends StompSessionHandlerAdapter {
        private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return byte[].class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            if (headers.getFirst("message") != null && headers.getFirst("subscription") == null) {
                errors.add(headers.getFirst("message"));
            } else {
                messages.add((byte[]) payload);
            }
        }

        String error(Duration timeout) {
            return poll(errors, timeout);
        }

        byte[] message(Duration timeout) {
            return poll(messages, timeout);
        }

        void forgetMessages() {
            messages.clear();
        }

        private static <T> T poll(BlockingQueue<T> queue, Duration timeout) {
            try {
                return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
