package io.convtrail.query.stream;

import io.convtrail.api.query.CommittedStreamEventsQuery;
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
 * The one subscription-query mechanism behind SSE and STOMP. The hub holds one Axon subscription
 * query for the whole node ({@link CommittedStreamEventsQuery}): the audit projection emits each
 * committed row once, Axon's emitter tests it against that one subscription, and the hub hands it to
 * the subscribers of its conversation only, by key: the cost of an event is one map look-up plus
 * its own subscribers, however many conversations are watched. (One subscription query per watched
 * conversation, as before, made Axon's emitter test every update against all of them.) The event's
 * envelope is opened, which decrypts its content, only when its conversation has subscribers here,
 * once for all of them.
 * <p>
 * Axon's query bus is local to this process, so it only carries events this node projected.
 * Events projected by another node arrive as wake-ups ({@link #wake}, from
 * {@link StreamNotifications}): each subscriber then reads them from the shared read model. A
 * wake-up for an event this node already offered (it projected it) is dropped here.
 */
@Component
public class ConversationStreamHub implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConversationStreamHub.class);
    /**
     * Axon keeps this many recent updates to replay to a late subscriber of the query; the hub
     * subscribes at once, so it needs none, and more would only keep opened envelopes on the heap.
     */
    private static final int UPDATE_REPLAY = 1;

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
    private SubscriptionQueryResult<List<CommittedStreamEvent>, CommittedStreamEvent> committed;
    private volatile boolean running;

    public ConversationStreamHub(QueryGateway queries, StreamHistory history, StreamProperties properties) {
        this.queries = queries;
        this.history = history;
        this.subscriberBuffer = properties.subscriberBuffer();
        CustomizableThreadCreator names = new CustomizableThreadCreator("stream-sender-");
        names.setDaemon(true);
        this.senders = Executors.newCachedThreadPool(names::createThread);
        listen();
    }

    /**
     * Subscribes to a conversation's events after {@code resumeAfter} (null: from now on, i.e. after
     * the read model's current head).
     */
    public StreamSubscription subscribe(UUID conversationId, Long resumeAfter, StreamSink sink) {
        StreamSubscription subscription = new StreamSubscription(conversationId, resumeAfter, sink, history,
                senders, subscriberBuffer, this::detach);
        channels.compute(conversationId, (id, channel) -> {
            Channel open = channel != null ? channel : new Channel();
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

    /** Live subscribers of one transport to one conversation on this node. */
    public int subscribers(UUID conversationId, String transport) {
        Channel channel = channels.get(conversationId);
        if (channel == null) {
            return 0;
        }
        return (int) channel.members.stream().filter(member -> member.transport().equals(transport)).count();
    }

    /** Conversations with at least one subscriber on this node. */
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
        cancel();
        senders.shutdown();
    }

    /** Registered with the update emitter before this returns: no update committed afterwards can slip past it. */
    private synchronized void listen() {
        committed = queries.subscriptionQuery(CommittedStreamEventsQuery.class.getName(), new CommittedStreamEventsQuery(),
                ResponseTypes.multipleInstancesOf(CommittedStreamEvent.class),
                ResponseTypes.instanceOf(CommittedStreamEvent.class), UPDATE_REPLAY);
        committed.updates().subscribe(this::route, this::failed);
    }

    private synchronized void cancel() {
        if (committed != null) {
            committed.cancel();
            committed = null;
        }
    }

    /** On the projecting thread, once the event's transaction committed: never blocks. */
    private void route(CommittedStreamEvent event) {
        Channel channel = channels.get(event.conversationId());
        if (channel == null) {
            return;
        }
        StreamEvent opened;
        try {
            opened = event.event();
        } catch (RuntimeException unreadable) {
            // e.g. its content cannot be opened: these subscribers fail, not the node's live updates
            log.warn("Event {} of {} cannot be streamed; disconnecting its subscribers: {}", event.sequence(),
                    event.conversationId(), unreadable.toString());
            List.copyOf(channel.members).forEach(member -> member.close(CloseReason.FAILED));
            return;
        }
        channel.fanOut(opened);
    }

    /**
     * The node's live updates ended (Axon cancelled them after an error): every subscriber is closed
     * (each resumes from its last id when it reconnects) and the subscription opens again.
     */
    private void failed(Throwable error) {
        log.warn("Live stream updates failed; disconnecting every subscriber and listening again: {}", error.toString());
        cancel();
        listen();
        channels.values().forEach(channel -> List.copyOf(channel.members)
                .forEach(member -> member.close(CloseReason.FAILED)));
    }

    /** The subscribers of one conversation on this node. */
    private static final class Channel {

        final List<StreamSubscription> members = new CopyOnWriteArrayList<>();
        /** The highest sequence offered to the members, live or as a wake-up. */
        private final AtomicLong highest = new AtomicLong(-1);

        /** Whether {@code sequence} is news to this channel. */
        boolean raiseHighest(long sequence) {
            return highest.getAndAccumulate(sequence, Math::max) < sequence;
        }

        void fanOut(StreamEvent event) {
            raiseHighest(event.sequence());
            for (StreamSubscription member : members) {
                member.offer(event);
            }
        }
    }
}
