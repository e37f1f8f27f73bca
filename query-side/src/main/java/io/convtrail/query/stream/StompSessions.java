package io.convtrail.query.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spring's WebSocket handler for STOMP, which also lets a {@link StompSink} write encoded frames to
 * a session: through the same {@code ConcurrentWebSocketSessionDecorator} Spring writes the session's
 * other frames with (order, {@code send-buffer-size-limit} and {@code send-time-limit} as for them), and
 * under it {@link EncodedTextSession}, which writes them without re-encoding. Spring keeps its
 * decorated sessions private; {@link #decorateSession} is its hook for the decoration and is where each
 * one is kept here too.
 */
class StompSessions extends SubProtocolWebSocketHandler implements StompSink.Sessions {

    private static final Logger log = LoggerFactory.getLogger(StompSessions.class);

    private final Map<String, WebSocketSession> open = new ConcurrentHashMap<>();

    StompSessions(MessageChannel clientInboundChannel, SubscribableChannel clientOutboundChannel) {
        super(clientInboundChannel, clientOutboundChannel);
        // looks Tomcat's method up now, so a server without it says so at startup (a warning), not at the first session
        log.debug("STOMP frames reach Tomcat {}", EncodedTextSession.writesBytes() ? "as bytes" : "as strings");
    }

    @Override
    protected WebSocketSession decorateSession(WebSocketSession session) {
        WebSocketSession decorated = super.decorateSession(new EncodedTextSession(session));
        open.put(session.getId(), decorated);
        return decorated;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        open.remove(session.getId());
        super.afterConnectionClosed(session, closeStatus);
    }

    /**
     * Writes (or queues behind the session's write in progress) the frames; a session that is gone, or
     * holds more than its limits allow (then closed as Spring closes it), ends the caller's feed.
     */
    @Override
    public void send(String sessionId, EncodedStompFrames frames) throws IOException {
        WebSocketSession session = open.get(sessionId);
        if (session == null) {
            throw new IOException("STOMP session " + sessionId + " is closed");
        }
        try {
            session.sendMessage(frames);
        } catch (SessionLimitExceededException exceeded) {
            log.debug("Closing STOMP session {}: {}", sessionId, exceeded.getMessage());
            try {
                session.close(exceeded.getStatus());
            } catch (IOException | RuntimeException alreadyClosing) {
                // closed meanwhile: nothing left to end
            }
            throw new IOException(exceeded.getMessage(), exceeded);
        }
    }
}
