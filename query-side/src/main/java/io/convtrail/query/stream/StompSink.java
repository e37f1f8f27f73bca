package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;

import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One STOMP subscription's feed from the hub: each event as a MESSAGE frame to that session's
 * subscription, with the sequence as a {@code sequence} header, handed to Spring's WebSocket
 * sub-protocol handler on the subscription's own sender thread. That handler STOMP-encodes the
 * frame and writes it through the session's {@code ConcurrentWebSocketSessionDecorator}, which keeps
 * the session's frames in call order and bounds what a slow client may hold back
 * ({@code send-buffer-size-limit}, {@code send-time-limit}; past either it closes the session). No
 * broker and no outbound-channel executor sit between the hub and the socket: one hand-off per event
 * (the hub's to this sender), as for SSE. A stuck socket blocks this sender thread only.
 */
final class StompSink implements StreamSink {

    static final String TRANSPORT = "stomp";
    static final String TOPIC_PREFIX = "/topic/convengine/audit/";
    /** Each message's position: what a client sends back as {@code last-event-id} to resume after it. */
    static final String SEQUENCE_HEADER = "sequence";

    private final MessageHandler toSessions;
    private final StompPayloads payloads;
    private final String sessionId;
    private final String subscriptionId;
    private final String destination;
    private final LongConsumer onOverflow;

    /** {@code onOverflow} gets the last sequence sent, so the feed can continue from there. */
    StompSink(MessageHandler toSessions, StompPayloads payloads, String sessionId, String subscriptionId,
              UUID conversationId, LongConsumer onOverflow) {
        this.toSessions = toSessions;
        this.payloads = payloads;
        this.sessionId = sessionId;
        this.subscriptionId = subscriptionId;
        this.destination = TOPIC_PREFIX + conversationId;
        this.onOverflow = onOverflow;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public void connected(long position) {
        // the first MESSAGE follows; STOMP has no frame for "connected at"
    }

    @Override
    public void event(StreamEvent event) {
        if (!carries(event)) {
            return;
        }
        StompPayloads.Encoded payload = payloads.of(event.envelope());
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setNativeHeader(SEQUENCE_HEADER, Long.toString(event.sequence()));
        headers.setSessionId(sessionId);
        headers.setSubscriptionId(subscriptionId);
        headers.setDestination(destination);
        if (payload.contentType() != null) {
            headers.setContentType(payload.contentType());
        }
        toSessions.handleMessage(MessageBuilder.createMessage(payload.bytes(), headers.getMessageHeaders()));
    }

    /** STOMP bodies stay ConvEngine's, AUDIT and VERBOSE only: turn boundaries are an SSE opt-in. */
    static boolean carries(StreamEvent event) {
        return carries(event.envelope().eventType());
    }

    static boolean carries(StreamKind kind) {
        return kind != StreamKind.TURN;
    }

    @Override
    public void heartbeat() {
        // STOMP heart-beats are negotiated per connection
    }

    @Override
    public void closed(CloseReason reason, long lastSent) {
        if (reason == CloseReason.OVERFLOW) {
            onOverflow.accept(lastSent);
        }
    }
}
