package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.query.stream.ClientStreamSlots;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
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
import java.util.List;
import java.util.Optional;

/**
 * Stands in front of Spring's STOMP handling for every WebSocket (and SockJS) session. It holds one
 * of the client's stream slots for the life of the session (a session over the cap is closed at
 * once; the handshake filter answers most of them 429 before the upgrade), and it parses each
 * inbound frame first: Spring logs a frame that does not parse, or one it refuses, as an ERROR (with
 * the frame's content), so such a frame is refused here instead: the session is closed with the
 * reason, and the log gets one rate-limited line.
 */
class StompSessionGuard extends WebSocketHandlerDecorator {

    private static final String SLOT = StompSessionGuard.class.getName() + ".slot";
    private static final String DECODER = StompSessionGuard.class.getName() + ".decoder";
    private static final String CONNECTED = StompSessionGuard.class.getName() + ".connected";
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
            String refusal;
            try {
                refusal = refusalOf(session, decoder.decode(frame));
            } catch (RuntimeException malformed) {
                refusal = "the frame does not parse as STOMP 1.2";
            }
            if (refusal != null) {
                refuse(session, refusal);
                return;
            }
        }
        super.handleMessage(session, message);
    }

    /**
     * Frames that parse but that Spring would answer with an ERROR in its log: anything before CONNECT,
     * a SEND (the streams are read-only: nobody may forge a conversation's events), a SUBSCRIBE without
     * its id or destination, an UNSUBSCRIBE without its id.
     */
    private static String refusalOf(WebSocketSession session, List<Message<byte[]>> frames) {
        for (Message<byte[]> frame : frames) {
            StompHeaderAccessor stomp = StompHeaderAccessor.wrap(frame);
            StompCommand command = stomp.getCommand();
            if (command == null) {
                continue; // a heartbeat
            }
            if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
                session.getAttributes().put(CONNECTED, Boolean.TRUE);
            } else if (!session.getAttributes().containsKey(CONNECTED)) {
                return command + " before CONNECT";
            } else if (command == StompCommand.SEND) {
                return "convtrail streams are read-only: SEND is not accepted";
            } else if (command == StompCommand.SUBSCRIBE && (stomp.getSubscriptionId() == null
                    || stomp.getDestination() == null)) {
                return "SUBSCRIBE needs an id and a destination";
            } else if (command == StompCommand.UNSUBSCRIBE && stomp.getSubscriptionId() == null) {
                return "UNSUBSCRIBE needs an id";
            }
        }
        return null;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        if (session.getAttributes().remove(SLOT) instanceof ClientStreamSlots.Slot slot) {
            slot.release();
            super.afterConnectionClosed(session, closeStatus);
        }
    }

    /**
     * Closes the session with the reason (close code 1002). No ERROR frame: the broker may be writing to
     * this session at the same moment, and only Spring's own session decorator may send concurrently.
     */
    private void refuse(WebSocketSession session, String why) {
        refusals.refused("STOMP", ENDPOINT, "close-1002", Refusal.MALFORMED_FRAME, null);
        session.getAttributes().remove(DECODER);
        try {
            session.close(CloseStatus.PROTOCOL_ERROR.withReason(why.length() <= 100 ? why : why.substring(0, 100)));
        } catch (IOException | RuntimeException alreadyGone) {
            // the client went away meanwhile: the session is closed either way
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
