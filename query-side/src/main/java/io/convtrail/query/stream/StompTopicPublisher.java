package io.convtrail.query.stream;

import io.convtrail.api.ConversationIds;
import io.convtrail.query.stream.StreamSink.CloseReason;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageChannel;
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
 * <p>
 * A SUBSCRIBE with a {@value #RESUME_HEADER} header resumes instead ({@link #resume}): that client
 * gets its own hub subscription from the given position, delivered to its subscription alone, and
 * the frame never reaches the broker, so nothing arrives twice.
 * <p>
 * With a broker relay the topics are fed by the node that projects each event ({@link BrokerRelay}),
 * so this node feeds none: a wake-up published here too would reach every subscriber twice.
 */
@Component
class StompTopicPublisher {

    /** SUBSCRIBE header: the last {@code sequence} the client received; it gets every later event, then live ones. */
    static final String RESUME_HEADER = "last-event-id";

    private final ConversationStreamHub hub;
    private final SimpMessagingTemplate broker;
    private final ObjectProvider<MessageChannel> clientOutbound;
    private final boolean feedsTopics;
    /** "sessionId/subscriptionId" of each STOMP subscription to a conversation topic. */
    private final Map<String, UUID> clientSubscriptions = new HashMap<>();
    private final Map<UUID, Topic> topics = new HashMap<>();
    /** "sessionId/subscriptionId" of each resumed subscription and its own feed. */
    private final Map<String, Resumed> resumed = new HashMap<>();

    StompTopicPublisher(ConversationStreamHub hub, SimpMessagingTemplate broker,
                        @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutbound,
                        BrokerRelay relay) {
        this.hub = hub;
        this.feedsTopics = !relay.enabled();
        this.broker = broker;
        this.clientOutbound = clientOutbound;
    }

    /**
     * Starts the resumed feed of an authorized SUBSCRIBE that carries {@value #RESUME_HEADER}
     * ({@code after}: its value). Called on the inbound channel, before the frame would reach the broker.
     */
    synchronized void resume(String sessionId, String subscriptionId, UUID conversationId, long after) {
        String key = sessionId + "/" + subscriptionId;
        if (clientSubscriptions.containsKey(key) || resumed.containsKey(key)) {
            return; // a second SUBSCRIBE with the same id: the first one stands, as the broker would have it
        }
        Resumed feed = new Resumed(sessionId, subscriptionId, conversationId);
        resumed.put(key, feed);
        feed.publishAfter(after);
    }

    @EventListener
    synchronized void subscribed(SessionSubscribeEvent event) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(event.getMessage());
        UUID conversationId = conversationOf(headers.getDestination());
        if (!feedsTopics || conversationId == null || clientSubscriptions.putIfAbsent(key(headers), conversationId) != null) {
            return;
        }
        Topic topic = topics.computeIfAbsent(conversationId, Topic::new);
        if (topic.clients++ == 0) {
            topic.publishAfter(null);
        }
    }

    @EventListener
    synchronized void unsubscribed(SessionUnsubscribeEvent event) {
        String key = key(SimpMessageHeaderAccessor.wrap(event.getMessage()));
        UUID conversationId = clientSubscriptions.remove(key);
        if (conversationId != null) {
            release(conversationId);
        }
        Resumed feed = resumed.remove(key);
        if (feed != null) {
            feed.subscription.close(CloseReason.SHUTDOWN);
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
        for (Iterator<Map.Entry<String, Resumed>> it = resumed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Resumed> entry = it.next();
            if (entry.getKey().startsWith(prefix)) {
                it.remove();
                entry.getValue().subscription.close(CloseReason.SHUTDOWN);
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

    private synchronized void overflowed(Resumed feed, long lastSent) {
        if (resumed.get(feed.key()) == feed) {
            feed.publishAfter(lastSent);
        }
    }

    private static String key(SimpMessageHeaderAccessor headers) {
        return headers.getSessionId() + "/" + headers.getSubscriptionId();
    }

    static UUID conversationOf(String destination) {
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

    private final class Resumed {
        final String sessionId;
        final String subscriptionId;
        final UUID conversationId;
        StreamSubscription subscription;

        Resumed(String sessionId, String subscriptionId, UUID conversationId) {
            this.sessionId = sessionId;
            this.subscriptionId = subscriptionId;
            this.conversationId = conversationId;
        }

        String key() {
            return sessionId + "/" + subscriptionId;
        }

        /** A feed that fell behind continues from its last sent event, as a topic does. */
        void publishAfter(long after) {
            subscription = hub.subscribe(conversationId, after, new StompResumeSink(clientOutbound.getObject(),
                    broker.getMessageConverter(), sessionId, subscriptionId, conversationId,
                    lastSent -> overflowed(this, lastSent)));
        }
    }
}
