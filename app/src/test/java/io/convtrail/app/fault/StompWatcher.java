package io.convtrail.app.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.stream.StompConnect;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.lang.reflect.Type;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One STOMP subscription to a conversation's topic over plain WebSocket: the stages it receives, and whether it ended. */
final class StompWatcher {

    private final List<String> stages = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private StompWatcher() {
    }

    static StompWatcher subscribe(int port, UUID conversationId) throws Exception {
        StompWatcher watcher = new StompWatcher();
        WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
        client.setMessageConverter(new MappingJackson2MessageConverter());
        StompSession session = StompConnect.asAdmin(client, "ws://127.0.0.1:" + port + "/ws-convengine",
                new StompSessionHandlerAdapter() {
                    @Override
                    public void handleTransportError(StompSession s, Throwable exception) {
                        watcher.ended.countDown();
                    }
                }).get(10, TimeUnit.SECONDS);
        session.subscribe("/topic/convengine/audit/" + conversationId, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return JsonNode.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                watcher.stages.add(((JsonNode) payload).get("stage").asText());
            }
        });
        return watcher;
    }

    List<String> stages() {
        return List.copyOf(stages);
    }

    /** Whether the server ended the session (waits up to 10 s). */
    boolean ended() throws InterruptedException {
        return ended.await(10, TimeUnit.SECONDS);
    }
}
