package io.convtrail.query.stream;

import io.convtrail.api.ConversationIds;
import io.convtrail.query.stream.StreamSink.CloseReason;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Feeds STOMP subscriptions to conversation topics from the hub: each subscription gets its own
 * hub subscription (as an SSE stream does), whose sender writes its frames straight to the session
 * ({@link StompSink}); the SUBSCRIBE frame goes no further, so the broker never holds it and no event
 * reaches the client twice. A plain SUBSCRIBE ({@link #subscribe}) starts at the read model's head
 * when the frame arrives, so the client gets every event committed after its subscription is in
 * place; one with a {@value #RESUME_HEADER} header ({@link #resume}) after the given position.
 * <p>
 * Why not the broker's topic: the in-memory broker sends one message per session through the
 * client outbound channel's executor (a second hand-off per event and session, behind every other
 * session's), and each session's frame is built from a copy of the topic's message. Here the frame
 * is encoded once per event ({@link StompPayloads}) and each subscription's own sender writes it.
 * <p>
 * With a broker relay, plain subscriptions stay the external broker's: the topics are fed by the node
 * that projects each event ({@link BrokerRelay}), so every node's clients get each event once.
 * Resumed subscriptions are fed here in both modes.
 */
@Component
class StompTopicPublisher {

    /** SUBSCRIBE header: the last {@code sequence} the client received; it gets every later event, then live ones. */
    static final String RESUME_HEADER = "last-event-id";

    private final ConversationStreamHub hub;
    private final StreamHistory history;
    private final ObjectProvider<StompSessions> sessions;
    private final ObjectProvider<SimpMessagingTemplate> broker;
    private final int joinFramesUpTo;
    private volatile StompPayloads payloads;
    /** "sessionId/subscriptionId" of each fed subscription and its feed. */
    private final Map<String, Feed> feeds = new HashMap<>();

    StompTopicPublisher(ConversationStreamHub hub, StreamHistory history,
                        ObjectProvider<StompSessions> sessions,
                        ObjectProvider<SimpMessagingTemplate> broker, StreamProperties properties) {
        this.hub = hub;
        this.history = history;
        this.sessions = sessions;
        this.broker = broker;
        this.joinFramesUpTo = properties.stomp().joinFramesUpTo();
    }

    /**
     * Starts the feed of an authorized plain SUBSCRIBE to a conversation topic: every event after the
     * read model's head now. Called on the inbound channel, before the frame would reach the broker.
     */
    void subscribe(String sessionId, String subscriptionId, UUID conversationId) {
        feed(sessionId, subscriptionId, conversationId, history.head(conversationId));
    }

    /**
     * Starts the resumed feed of an authorized SUBSCRIBE that carries {@value #RESUME_HEADER}
     * ({@code after}: its value). Called on the inbound channel, before the frame would reach the broker.
     */
    void resume(String sessionId, String subscriptionId, UUID conversationId, long after) {
        feed(sessionId, subscriptionId, conversationId, after);
    }

    private synchronized void feed(String sessionId, String subscriptionId, UUID conversationId, long after) {
        String key = sessionId + "/" + subscriptionId;
        if (feeds.containsKey(key)) {
            return; // a second SUBSCRIBE with the same id: the first one stands, as the broker would have it
        }
        Feed feed = new Feed(sessionId, subscriptionId, conversationId);
        feeds.put(key, feed);
        feed.publishAfter(after);
    }

    @EventListener
    synchronized void unsubscribed(SessionUnsubscribeEvent event) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(event.getMessage());
        Feed feed = feeds.remove(headers.getSessionId() + "/" + headers.getSubscriptionId());
        if (feed != null) {
            feed.subscription.close(CloseReason.SHUTDOWN);
        }
    }

    @EventListener
    synchronized void disconnected(SessionDisconnectEvent event) {
        String prefix = event.getSessionId() + "/";
        for (Iterator<Map.Entry<String, Feed>> it = feeds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Feed> entry = it.next();
            if (entry.getKey().startsWith(prefix)) {
                it.remove();
                entry.getValue().subscription.close(CloseReason.SHUTDOWN);
            }
        }
    }

    private synchronized void overflowed(Feed feed, long lastSent) {
        if (feeds.get(feed.key()) == feed) {
            feed.publishAfter(lastSent);
        }
    }

    private StompPayloads payloads() {
        StompPayloads built = payloads;
        if (built == null) {
            built = new StompPayloads(broker.getObject().getMessageConverter());
            payloads = built;
        }
        return built;
    }

    static UUID conversationOf(String destination) {
        if (destination == null || !destination.startsWith(StompSink.TOPIC_PREFIX)) {
            return null;
        }
        return ConversationIds.parse(destination.substring(StompSink.TOPIC_PREFIX.length())).orElse(null);
    }

    private final class Feed {
        final String sessionId;
        final String subscriptionId;
        final UUID conversationId;
        StreamSubscription subscription;

        Feed(String sessionId, String subscriptionId, UUID conversationId) {
            this.sessionId = sessionId;
            this.subscriptionId = subscriptionId;
            this.conversationId = conversationId;
        }

        String key() {
            return sessionId + "/" + subscriptionId;
        }

        /** A feed that fell behind continues from its last sent event: the missing ones are read from the read model. */
        void publishAfter(long after) {
            subscription = hub.subscribe(conversationId, after, new StompSink(sessions.getObject(), payloads(),
                    joinFramesUpTo, sessionId, subscriptionId, lastSent -> overflowed(this, lastSent)));
        }
    }
}
