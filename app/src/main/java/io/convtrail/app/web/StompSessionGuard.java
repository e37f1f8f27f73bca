package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.query.stream.ClientStreamSlots;
import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Stands in front of Spring's STOMP handling for every WebSocket (and SockJS) session. It holds one
 * of the client's stream slots for the life of the session (a session over the cap is closed at
 * once; the handshake filter answers most of them 429 before the upgrade), and it parses each
 * inbound frame first: Spring logs a frame that does not parse as an ERROR with its stack trace and
 * its content, so a malformed frame is refused here instead, with an ERROR frame, a closed session
 * and one line in the log.
 */
class StompSessionGuard extends WebSocketHandlerDecorator {

    private static final String SLOT = StompSessionGuard.class.getName() + ".slot";
    private static final String DECODER = StompSessionGuard.class.getName() + ".decoder";
    private static final String ENDPOINT = "/ws-convengine";

    private final ClientStreamSlots slots;
    private final RefusalLog refusals;
    private final int messageSizeLimit;

    StompSessionGuard(WebSocketHandler delegate, ClientStreamSlots slots, RefusalLog refusals, int messageSizeLimit) {
        super(delegate);
        this.slots = slots;
        this.refusals = refusals;
        this.messageSizeLimit = messageSizeLimit;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        Optional<ClientStreamSlots.Slot> slot = slots.tryAcquire(clientOf(session));
        if (slot.isEmpty()) {
            refusals.refused("STOMP", ENDPOINT, "close-1008", Refusal.TOO_MANY_STREAMS, null);
            session.close(CloseStatus.POLICY_VIOLATION.withReason("too many open streams"));
            return;
        }
        session.getAttributes().put(SLOT, slot.get());
        session.getAttributes().put(DECODER, new BufferingStompDecoder(new StompDecoder(), messageSizeLimit));
        super.afterConnectionEstablished(session);
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
        if (!(session.getAttributes().get(DECODER) instanceof BufferingStompDecoder decoder)) {
            return; // refused at connection: nothing reaches STOMP
        }
        ByteBuffer frame = message instanceof TextMessage text ? ByteBuffer.wrap(text.asBytes())
                : message instanceof BinaryMessage binary ? binary.getPayload().duplicate() : null;
        if (frame != null) {
            try {
                decoder.decode(frame);
            } catch (RuntimeException malformed) {
                refuse(session);
                return;
            }
        }
        super.handleMessage(session, message);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        if (session.getAttributes().remove(SLOT) instanceof ClientStreamSlots.Slot slot) {
            slot.release();
            super.afterConnectionClosed(session, closeStatus);
        }
    }

    private void refuse(WebSocketSession session) throws IOException {
        refusals.refused("STOMP", ENDPOINT, "error-frame", Refusal.MALFORMED_FRAME, null);
        session.getAttributes().remove(DECODER);
        try {
            if (session.isOpen()) {
                session.sendMessage(new TextMessage(("ERROR\ncontent-type:text/plain\nmessage:malformed STOMP frame\n\n"
                        + "the frame does not parse as STOMP 1.2\0").getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            session.close(CloseStatus.PROTOCOL_ERROR);
        }
    }

    /** The same key the SSE endpoint and the handshake filter use: the remote IP address. */
    static String clientOf(WebSocketSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
