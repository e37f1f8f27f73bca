package io.convtrail.app.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.stream.StompStreamTest.Message;
import io.convtrail.app.stream.StompStreamTest.Received;
import io.convtrail.query.stream.ConversationStreamHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP resume with Spring's real client: a SUBSCRIBE carrying {@code last-event-id} gets every
 * stored event after it, then the live ones, with no gap and no duplicate, while plain subscribers
 * of the same topic keep getting only what is published from their SUBSCRIBE on.
 */
@ConvtrailIntegrationTest
class StompResumeTest extends StreamClientTest {

    static final Duration WAIT = StompStreamTest.WAIT;

    @Autowired
    ConversationStreamHub hub;

    final List<StompSession> sessions = new ArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void disconnect() {
        sessions.stream().filter(StompSession::isConnected).forEach(StompSession::disconnect);
    }

    @Test
    void aResumingSubscriberGetsWhatItMissedThenLiveEventsOnce() {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "hello");
        conversations.turn(id, "What are your interest rates?");
        List<StreamEvent> before = conversations.storedStream(id);
        long resumeAfter = before.get(before.size() / 2).sequence();

        Received resumed = subscribe(id, Long.toString(resumeAfter));
        Received plain = subscribe(id, null);
        List<Message> missed = resumed.next((int) (before.size() - resumeAfter));
        assertThat(missed).extracting(Message::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(resumeAfter + 1, before.size()).boxed().toList());

        conversations.turn(id, "apply for a loan");
        List<StreamEvent> all = conversations.storedStream(id);
        List<Message> live = resumed.next(all.size() - before.size());
        List<Message> received = new ArrayList<>(missed);
        received.addAll(live);
        assertThat(received).extracting(Message::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(resumeAfter + 1, all.size()).boxed().toList());
        for (Message message : received) {
            StreamEvent stored = all.get((int) message.sequence() - 1);
            assertThat(conversations.parse(message.body())).isEqualTo(conversations.toJson(stored.envelope()));
        }
        assertThat(resumed.silentFor(Duration.ofMillis(300))).as("nothing twice").isTrue();
        assertThat(plain.next(all.size() - before.size())).extracting(Message::sequence)
                .as("the plain subscriber: only what was published after its SUBSCRIBE")
                .containsExactlyElementsOf(LongStream.rangeClosed(before.size() + 1, all.size()).boxed().toList());
    }

    @Test
    void resumingFromZeroWhileTurnsRunMissesNothingAndRepeatsNothing() throws Exception {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "hello");
        CompletableFuture<Void> turns = CompletableFuture.runAsync(() -> {
            conversations.turn(id, "What are your interest rates?");
            conversations.turn(id, "apply for a loan");
            conversations.turn(id, "15000");
        });
        Thread.sleep(30);
        Received resumed = subscribe(id, "0");
        turns.get(60, TimeUnit.SECONDS);
        List<StreamEvent> all = conversations.storedStream(id);
        assertThat(resumed.next(all.size())).extracting(Message::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(resumed.silentFor(Duration.ofMillis(300))).isTrue();
    }

    @Test
    void aLastEventIdThatIsNotAPositionIsAnErrorFrame() {
        UUID id = UUID.randomUUID();
        StompSession session = connect();
        StompHeaders headers = new StompHeaders();
        headers.setDestination("/topic/convengine/audit/" + id);
        headers.add("last-event-id", "yesterday");
        Received received = new Received();
        session.subscribe(headers, received);
        await().atMost(WAIT).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).contains("last-event-id");
        assertThat(received.silentFor(Duration.ofMillis(200))).isTrue();
    }

    private Received subscribe(UUID conversationId, String lastEventId) {
        StompSession session = connect();
        StompHeaders headers = new StompHeaders();
        headers.setDestination("/topic/convengine/audit/" + conversationId);
        if (lastEventId != null) {
            headers.add("last-event-id", lastEventId);
        }
        Received received = new Received();
        int before = stompSubscriptions(headers.getDestination());
        session.subscribe(headers, received);
        if (lastEventId == null) {
            // a plain subscriber gets what is committed once its feed is in place
            await().atMost(WAIT).until(() -> stompSubscriptions(headers.getDestination()) > before);
        }
        return received;
    }

    private int stompSubscriptions(String destination) {
        return StompStreamTest.stompSubscribers(hub, destination);
    }

    private StompSession connect() {
        try {
            StompSession session = StompConnect.asAdmin(new WebSocketStompClient(new StandardWebSocketClient()),
                    "ws://localhost:" + port + "/ws-convengine", new StompSessionHandlerAdapter() {
                        @Override
                        public void handleFrame(StompHeaders headers, Object payload) {
                            errors.add(String.valueOf(headers.getFirst("message")));
                        }

                        @Override
                        public void handleException(StompSession s, StompCommand command, StompHeaders headers,
                                                    byte[] payload, Throwable exception) {
                            errors.add(String.valueOf(exception));
                        }
                    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sessions.add(session);
            return session;
        } catch (Exception e) {
            throw new AssertionError("STOMP connect failed", e);
        }
    }
}
