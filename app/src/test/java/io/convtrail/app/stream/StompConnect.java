package io.convtrail.app.stream;

import io.convtrail.testsupport.TestTokens;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import java.util.concurrent.CompletableFuture;

/** STOMP CONNECT with {@code Authorization: Bearer …} in the frame, as the service requires. */
public final class StompConnect {

    private StompConnect() {
    }

    /** Connects as an admin (the test secret of {@link TestTokens}). */
    public static CompletableFuture<StompSession> asAdmin(WebSocketStompClient client, String url,
                                                          StompSessionHandler handler) {
        return as(client, url, TestTokens.admin(), handler);
    }

    /** Connects with the given token; null sends no Authorization header. */
    public static CompletableFuture<StompSession> as(WebSocketStompClient client, String url, String token,
                                                     StompSessionHandler handler) {
        StompHeaders connect = new StompHeaders();
        if (token != null) {
            connect.add("Authorization", TestTokens.bearer(token));
        }
        return client.connectAsync(url, new WebSocketHttpHeaders(), connect, handler);
    }
}
