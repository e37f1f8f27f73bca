package io.convtrail.query.stream;

import io.convtrail.api.ConversationIds;
import io.convtrail.query.stream.StreamSink.CloseReason;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Feeds a conversation's STOMP topic from the hub while at least one client subscribes to it, and
 * only then: one hub subscription per watched topic, however many STOMP clients share it. The
 * subscription opens when the SUBSCRIBE frame arrives, before the broker registers it, so the
 * client sees every event committed after its subscription is in place.
 */
@Component
class StompTopicPublisher {

    private final ConversationStreamHub hub;
    private final SimpMessagingTemplate broker;
    /** "sessionId/subscriptionId" of each STOMP subscription to a conversation topic. */
    private final Map<String, UUID> clientSubscriptions = new HashMap<>();
    private final Map<UUID, Topic> topics = new HashMap<>();

    StompTopicPublisher(ConversationStreamHub hub, SimpMessagingTemplate broker) {
        this.hub = hub;
        this.broker = broker;
    }

    @EventListener
    synchronized void subscribed(SessionSubscribeEvent event) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(event.getMessage());
        UUID conversationId = conversationOf(headers.getDestination());
        if (conversationId == null || clientSubscriptions.putIfAbsent(key(headers), conversationId) != null) {
            return;
        }
        Topic topic = topics.computeIfAbsent(conversationId, Topic::new);
        if (topic.clients++ == 0) {
            topic.publishAfter(null);
        }
    }

    @EventListener
    synchronized void unsubscribed(SessionUnsubscribeEvent event) {
        UUID conversationId = clientSubscriptions.remove(key(SimpMessageHeaderAccessor.wrap(event.getMessage())));
        if (conversationId != null) {
            release(conversationId);
        }
    }

    @EventListener
    synchronized void disconnected(SessionDisconnectEvent event) {
        String prefix = event.getSessionId() + "/";
        for (Iterator<Map.Entry<String, UUID>> it = clientSubscriptions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, UUID> entry = it.next();
            if (entry.getKey().startsWith(prefix)) {
                it.remove();
                release(entry.getValue());
            }
        }
    }

    private void release(UUID conversationId) {
        Topic topic = topics.get(conversationId);
        if (topic != null && --topic.clients == 0) {
            topics.remove(conversationId);
            topic.subscription.close(CloseReason.SHUTDOWN);
        }
    }

    private synchronized void overflowed(Topic topic, long lastSent) {
        if (topics.get(topic.conversationId) == topic) {
            topic.publishAfter(lastSent);
        }
    }

    private static String key(SimpMessageHeaderAccessor headers) {
        return headers.getSessionId() + "/" + headers.getSubscriptionId();
    }

    private static UUID conversationOf(String destination) {
        if (destination == null || !destination.startsWith(StompSink.TOPIC_PREFIX)) {
            return null;
        }
        return ConversationIds.parse(destination.substring(StompSink.TOPIC_PREFIX.length())).orElse(null);
    }

    private final class Topic {
        final UUID conversationId;
        int clients;
        StreamSubscription subscription;

        Topic(UUID conversationId) {
            this.conversationId = conversationId;
        }

        /** A topic that fell behind continues from its last published event, so it has no gap. */
        void publishAfter(Long resumeAfter) {
            subscription = hub.subscribe(conversationId, resumeAfter,
                    new StompSink(broker, conversationId, lastSent -> overflowed(this, lastSent)));
        }
    }
}
