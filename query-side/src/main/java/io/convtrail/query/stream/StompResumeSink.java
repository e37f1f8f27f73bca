package io.convtrail.query.stream;

import io.convtrail.api.stream.StreamEvent;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;

import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One resuming STOMP subscription's own feed: the events after its {@code last-event-id}, then the
 * live ones, sent as MESSAGE frames straight to that session's subscription (not through the
 * broker, whose topic carries only what is published from now on). Frames keep their order through
 * Spring's per-session ordering decorator, as the broker's do with {@code preservePublishOrder}.
 */
final class StompResumeSink implements StreamSink {

    private final MessageChannel toClient;
    private final MessageConverter converter;
    private final String sessionId;
    private final String subscriptionId;
    private final String destination;
    private final LongConsumer onOverflow;

    StompResumeSink(MessageChannel clientOutbound, MessageConverter converter, String sessionId, String subscriptionId,
                    UUID conversationId, LongConsumer onOverflow) {
        this.toClient = new OrderedMessageChannelDecorator(clientOutbound, LogFactory.getLog(StompResumeSink.class));
        this.converter = converter;
        this.sessionId = sessionId;
        this.subscriptionId = subscriptionId;
        this.destination = StompSink.TOPIC_PREFIX + conversationId;
        this.onOverflow = onOverflow;
    }

    @Override
    public String transport() {
        return StompSink.TRANSPORT;
    }

    @Override
    public void connected(long position) {
        // the first MESSAGE follows; STOMP has no frame for "connected at"
    }

    @Override
    public void event(StreamEvent event) {
        if (!StompSink.carries(event)) {
            return;
        }
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(sessionId);
        headers.setSubscriptionId(subscriptionId);
        headers.setDestination(destination);
        headers.setNativeHeader(StompSink.SEQUENCE_HEADER, Long.toString(event.sequence()));
        // the ordering decorator marks each message it holds back
        headers.setLeaveMutable(true);
        Message<?> message = converter.toMessage(event.envelope(), headers.getMessageHeaders());
        if (message == null) {
            throw new IllegalStateException("the STOMP message converter cannot write a stream envelope");
        }
        toClient.send(message);
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
