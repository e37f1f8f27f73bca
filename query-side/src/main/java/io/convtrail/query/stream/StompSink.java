package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.springframework.messaging.simp.SimpMessagingTemplate;

import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Publishes a conversation's events to its STOMP topic, in order, with the sequence as a
 * {@code sequence} header. Handing a message to the broker does not wait for clients: each
 * WebSocket session has its own bounded send buffer (see {@code StompConfiguration}).
 */
final class StompSink implements StreamSink {

    static final String TRANSPORT = "stomp";
    static final String TOPIC_PREFIX = "/topic/convengine/audit/";
    /** Each message's position: what a client sends back as {@code last-event-id} to resume after it. */
    static final String SEQUENCE_HEADER = "sequence";

    private final SimpMessagingTemplate broker;
    private final String destination;
    private final LongConsumer onOverflow;

    /** {@code onOverflow} gets the last sequence published, so the topic can continue from there. */
    StompSink(SimpMessagingTemplate broker, UUID conversationId, LongConsumer onOverflow) {
        this.broker = broker;
        this.destination = TOPIC_PREFIX + conversationId;
        this.onOverflow = onOverflow;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public void connected(long position) {
        // STOMP has its own RECEIPT/CONNECTED frames; the topic carries envelopes only
    }

    @Override
    public void event(StreamEvent event) {
        if (!carries(event)) {
            return;
        }
        broker.convertAndSend(destination, event.envelope(), Map.of(SEQUENCE_HEADER, event.sequence()));
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
        // STOMP heart-beats are negotiated per connection by the broker
    }

    @Override
    public void closed(CloseReason reason, long lastSent) {
        if (reason == CloseReason.OVERFLOW) {
            onOverflow.accept(lastSent);
        }
    }
}
