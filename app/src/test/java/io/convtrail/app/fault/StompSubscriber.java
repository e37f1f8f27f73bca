package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.stream.StompConnect;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A STOMP subscription to a conversation's ConvEngine topic over plain WebSocket, as a client of another
 * node sees it: each message's {@code sequence} header, body and destination, the ERROR frames, and
 * whether the server ended the session.
 */
final class StompSubscriber implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    final List<Long> sequences = new CopyOnWriteArrayList<>();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<String> destinations = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);
    private StompSession session;

    /** A plain SUBSCRIBE, or with {@code last-event-id} when {@code lastEventId} is given. */
    static StompSubscriber on(ServiceProcess node, UUID conversationId, Long lastEventId) throws Exception {
        StompSubscriber subscriber = new StompSubscriber();
        String url = node.baseUrl().replace("http://", "ws://") + "/ws-convengine";
        subscriber.session = StompConnect.asAdmin(new WebSocketStompClient(new StandardWebSocketClient()), url,
                new StompSessionHandlerAdapter() {
                    @Override
                    public void handleFrame(StompHeaders headers, Object payload) {
                        subscriber.errors.add(String.valueOf(headers.getFirst("message")));
                    }

                    @Override
                    public void handleTransportError(StompSession session, Throwable exception) {
                        subscriber.ended.countDown();
                    }
                }).get(10, TimeUnit.SECONDS);
        StompHeaders subscribe = new StompHeaders();
        subscribe.setDestination("/topic/convengine/audit/" + conversationId);
        if (lastEventId != null) {
            subscribe.add("last-event-id", lastEventId.toString());
        }
        subscriber.session.subscribe(subscribe, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return byte[].class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                subscriber.bodies.add(ScaleOutIT.parse(new String((byte[]) payload, StandardCharsets.UTF_8)));
                subscriber.sequences.add(Long.parseLong(headers.getFirst("sequence")));
                subscriber.destinations.add(headers.getDestination());
            }
        });
        return subscriber;
    }

    /** Waits (up to 30 s) for the message of sequence {@code last}, then a little more: anything after it would be a duplicate. */
    void awaitSequence(long last) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((sequences.isEmpty() || sequences.get(sequences.size() - 1) < last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
    }

    @Override
    public void close() {
        if (session.isConnected()) {
            session.disconnect();
        }
    }
}
