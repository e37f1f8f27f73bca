package io.convtrail.query.stream;

import io.convtrail.api.query.StreamConversationQuery;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.query.stream.StreamSink.CloseReason;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.CustomizableThreadCreator;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one subscription-query mechanism behind SSE and STOMP: one Axon subscription query per
 * conversation that has subscribers, fanned out to each subscriber's bounded queue. The Axon
 * subscription opens with the first subscriber and is cancelled with the last, so the number of
 * open subscription queries follows the number of watched conversations, not of clients.
 * <p>
 * Axon's query bus is local to this process, so it only carries events this node projected.
 * Events projected by another node arrive as wake-ups ({@link #wake}, from
 * {@link StreamNotifications}): each subscriber then reads them from the shared read model. A
 * wake-up for an event this node already offered (it projected it) is dropped here.
 */
@Component
public class ConversationStreamHub implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConversationStreamHub.class);

    private final QueryGateway queries;
    private final StreamHistory history;
    private final int subscriberBuffer;
    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> subscribersByTransport = new ConcurrentHashMap<>();
    /**
     * Senders write to clients and may block on a stuck socket; a cached pool lets one stuck client
     * hold one thread without delaying anyone else. Idle threads end after a minute.
     */
    private final ExecutorService senders;
    private volatile boolean running;

    public ConversationStreamHub(QueryGateway queries, StreamHistory history, StreamProperties properties) {
        this.queries = queries;
        this.history = history;
        this.subscriberBuffer = properties.subscriberBuffer();
        CustomizableThreadCreator names = new CustomizableThreadCreator("stream-sender-");
        names.setDaemon(true);
        this.senders = Executors.newCachedThreadPool(names::createThread);
    }

    /**
     * Subscribes to a conversation's events after {@code resumeAfter} (null: from now on, i.e. after
     * the read model's current head).
     */
    public StreamSubscription subscribe(UUID conversationId, Long resumeAfter, StreamSink sink) {
        StreamSubscription subscription = new StreamSubscription(conversationId, resumeAfter, sink, history,
                senders, subscriberBuffer, this::detach);
        channels.compute(conversationId, (id, channel) -> {
            Channel open = channel != null ? channel : new Channel(id);
            open.members.add(subscription);
            return open;
        });
        counter(sink.transport()).incrementAndGet();
        subscription.start();
        return subscription;
    }

    /**
     * The conversation's events up to {@code sequence} are committed in the read model (announced
     * by whichever node projected them). Called on the listening thread: never blocks.
     */
    public void wake(UUID conversationId, long sequence) {
        Channel channel = channels.get(conversationId);
        if (channel != null && channel.raiseHighest(sequence)) {
            channel.members.forEach(member -> member.wake(sequence));
        }
    }

    /** Wake-ups may have been missed (the listening connection was lost): every subscriber reads what it lacks. */
    public void wakeAll() {
        channels.values().forEach(channel -> channel.members.forEach(member -> member.wake(Long.MAX_VALUE)));
    }

    /** Live subscribers of one transport ({@code sse}, {@code stomp}). */
    public int subscribers(String transport) {
        return counter(transport).get();
    }

    /** Open Axon subscription queries: one per conversation that has at least one subscriber. */
    public int openConversations() {
        return channels.size();
    }

    /** Every live subscriber, for the SSE heartbeat. */
    public void forEachSubscriber(Consumer<StreamSubscription> action) {
        channels.values().forEach(channel -> channel.members.forEach(action));
    }

    /** Called once per subscription, when it closes. */
    private void detach(StreamSubscription subscription) {
        counter(subscription.transport()).decrementAndGet();
        channels.computeIfPresent(subscription.conversationId(), (id, channel) -> {
            channel.members.remove(subscription);
            if (channel.members.isEmpty()) {
                channel.result.cancel();
                return null;
            }
            return channel;
        });
    }

    private AtomicInteger counter(String transport) {
        return subscribersByTransport.computeIfAbsent(transport, t -> new AtomicInteger());
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every stream before the web server's graceful shutdown, which would otherwise wait for
     * these never-ending responses; clients resume elsewhere or after the restart.
     */
    @Override
    public void stop() {
        running = false;
        channels.values().forEach(channel -> List.copyOf(channel.members)
                .forEach(member -> member.close(CloseReason.SHUTDOWN)));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void destroy() {
        senders.shutdown();
    }

    /** The Axon subscription of one conversation and who listens to it. */
    private final class Channel {

        final UUID conversationId;
        final List<StreamSubscription> members = new CopyOnWriteArrayList<>();
        final SubscriptionQueryResult<List<StreamEvent>, StreamEvent> result;
        /** The highest sequence offered to the members, live or as a wake-up. */
        private final AtomicLong highest = new AtomicLong(-1);

        Channel(UUID conversationId) {
            this.conversationId = conversationId;
            // registered with the update emitter before this returns: no update can slip past it
            result = queries.subscriptionQuery(new StreamConversationQuery(conversationId),
                    ResponseTypes.multipleInstancesOf(StreamEvent.class), ResponseTypes.instanceOf(StreamEvent.class));
            result.updates().subscribe(this::fanOut, this::failed);
        }

        /** Whether {@code sequence} is news to this channel. */
        boolean raiseHighest(long sequence) {
            return highest.getAndAccumulate(sequence, Math::max) < sequence;
        }

        private void fanOut(StreamEvent event) {
            raiseHighest(event.sequence());
            for (StreamSubscription member : members) {
                member.offer(event);
            }
        }

        private void failed(Throwable error) {
            // members resume from their last id when they reconnect
            log.warn("Live updates of {} failed; disconnecting its subscribers: {}", conversationId, error.toString());
            channels.remove(conversationId, this);
            result.cancel();
            List.copyOf(members).forEach(member -> member.close(CloseReason.OVERFLOW));
        }
    }
}
