package io.convtrail.query.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.convtrail.api.query.CommittedStreamEventsQuery;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub on Axon's real query bus and update emitter, with an in-memory read model standing in
 * for {@code audit_event}: the slow-subscriber policy and the bookkeeping, which are hard to force
 * over a network (socket buffers absorb megabytes before a write blocks).
 */
class ConversationStreamHubTest {

    static final int BUFFER = 8;

    final UUID conversationId = UUID.randomUUID();
    final ReadModel readModel = new ReadModel();
    final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    final SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    final QueryGateway gateway = DefaultQueryGateway.builder().queryBus(bus).build();
    final ConversationStreamHub hub;

    ConversationStreamHubTest() {
        new AnnotationQueryHandlerAdapter<>(readModel).subscribe(bus);
        hub = new ConversationStreamHub(gateway, readModel, new StreamProperties(List.of(), BUFFER, 256,
                new StreamProperties.Sse(Duration.ofSeconds(15), Duration.ofMinutes(30)),
                new StreamProperties.Stomp(StreamProperties.Broker.SIMPLE, null, DataSize.ofMegabytes(1),
                        Duration.ofSeconds(10), 0)));
        hub.start();
    }

    @AfterEach
    void stop() {
        hub.stop();
        hub.destroy();
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedWithoutSlowingTheProjectorOrTheOthers() {
        RecordingSink fast = new RecordingSink(null);
        CountDownLatch never = new CountDownLatch(1);
        RecordingSink stuck = new RecordingSink(never);
        hub.subscribe(conversationId, 0L, fast);
        hub.subscribe(conversationId, 0L, stuck);

        // batches smaller than the buffer, as a projector commits them; the fast reader keeps up
        long projectingNanos = 0;
        for (long sequence = 1; sequence <= 200; sequence++) {
            long started = System.nanoTime();
            project(sequence);
            projectingNanos += System.nanoTime() - started;
            if (sequence % 5 == 0) {
                long upTo = sequence;
                await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> fast.sequences.size() == upTo);
            }
        }
        long projectingMillis = TimeUnit.NANOSECONDS.toMillis(projectingNanos);

        assertThat(projectingMillis).as("projecting 200 events with a stuck subscriber").isLessThan(1_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.closedBy != null);
        assertThat(stuck.closedBy).isEqualTo(StreamSink.CloseReason.OVERFLOW);
        await().atMost(Duration.ofSeconds(5)).until(() -> fast.sequences.size() == 200);
        assertThat(fast.sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(hub.subscribers(RecordingSink.TRANSPORT)).isEqualTo(1);
        never.countDown();
    }

    @Test
    void theLastSubscriberOverflowingClosesTheSubscriptionQueryFromWithinAnUpdate() {
        CountDownLatch never = new CountDownLatch(1);
        RecordingSink stuck = new RecordingSink(never);
        hub.subscribe(conversationId, 0L, stuck);
        for (long sequence = 1; sequence <= BUFFER + 5; sequence++) {
            project(sequence);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.closedBy != null);
        assertThat(hub.openConversations()).isZero();
        project(BUFFER + 6);
        assertThat(hub.subscribers(RecordingSink.TRANSPORT)).isZero();
        never.countDown();
    }

    @Test
    void aResumedSubscriberGetsHistoryThenLiveEventsWithoutGapOrDuplicate() {
        for (long sequence = 1; sequence <= 5; sequence++) {
            project(sequence);
        }
        RecordingSink resumed = new RecordingSink(null);
        hub.subscribe(conversationId, 2L, resumed);
        for (long sequence = 6; sequence <= 9; sequence++) {
            project(sequence);
        }
        // stored but never emitted live (e.g. lost by a failed emit): filled in from the read model
        readModel.store(event(10));
        project(11);

        await().atMost(Duration.ofSeconds(5)).until(() -> resumed.sequences.size() == 9);
        assertThat(resumed.connectedAt).isEqualTo(2L);
        assertThat(resumed.sequences).containsExactlyElementsOf(LongStream.rangeClosed(3, 11).boxed().toList());
    }

    @Test
    void eventsProjectedByAnotherNodeArriveThroughWakeUpsInOrderAndOnce() {
        project(1);
        RecordingSink watcher = new RecordingSink(null);
        hub.subscribe(conversationId, 0L, watcher);
        // another node projects 2..6: stored in the shared read model, announced out of order and twice
        for (long sequence = 2; sequence <= 6; sequence++) {
            readModel.store(event(sequence));
        }
        hub.wake(conversationId, 4);
        hub.wake(conversationId, 6);
        hub.wake(conversationId, 3);
        hub.wake(conversationId, 6);
        // this node projects 7 (local update), and the wake-up for 7 follows it
        project(7);
        hub.wake(conversationId, 7);
        hub.wake(UUID.randomUUID(), 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> watcher.sequences.size() == 7);
        hub.wakeAll();
        assertThat(watcher.sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
        assertThat(hub.openConversations()).isEqualTo(1);
    }

    @Test
    void aStreamWhoseHistoryCannotBeReadEndsSoItsClientReconnects() {
        readModel.unavailable = true;
        RecordingSink sink = new RecordingSink(null);
        hub.subscribe(conversationId, 0L, sink);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.closedBy != null);
        assertThat(sink.closedBy).isEqualTo(StreamSink.CloseReason.FAILED);
        assertThat(hub.subscribers(RecordingSink.TRANSPORT)).isZero();
        assertThat(hub.openConversations()).isZero();
    }

    @Test
    void aConversationIsWatchedFromItsFirstSubscriberToItsLast() {
        StreamSubscription first = hub.subscribe(conversationId, null, new RecordingSink(null));
        StreamSubscription second = hub.subscribe(conversationId, null, new RecordingSink(null));
        assertThat(hub.openConversations()).isEqualTo(1);

        first.close(StreamSink.CloseReason.CLIENT_GONE);
        first.close(StreamSink.CloseReason.CLIENT_GONE);
        assertThat(hub.subscribers(RecordingSink.TRANSPORT)).isEqualTo(1);
        second.close(StreamSink.CloseReason.CLIENT_GONE);

        assertThat(hub.subscribers(RecordingSink.TRANSPORT)).isZero();
        assertThat(hub.openConversations()).isZero();
        assertThat(emitter.activeSubscriptions()).as("the node's one subscription query stays").hasSize(1);
    }

    @Test
    void oneSubscriptionQueryServesEveryConversationAndOnlyWatchedEventsAreOpened() {
        List<UUID> watched = LongStream.range(0, 50).mapToObj(i -> UUID.randomUUID()).toList();
        List<RecordingSink> sinks = watched.stream().map(id -> {
            RecordingSink sink = new RecordingSink(null);
            hub.subscribe(id, null, sink);
            return sink;
        }).toList();
        assertThat(emitter.activeSubscriptions()).hasSize(1);
        // "from now on" is the head each sender reads first; the event below must come after it
        await().atMost(Duration.ofSeconds(5)).until(() -> sinks.stream().allMatch(sink -> sink.connectedAt != null));

        AtomicInteger opened = new AtomicInteger();
        UUID unwatched = UUID.randomUUID();
        emitter.emit(CommittedStreamEventsQuery.class, hub -> true, CommittedStreamEvent.opening(unwatched, 1,
                StreamKind.AUDIT, () -> {
                    opened.incrementAndGet();
                    return event(1).envelope();
                }));
        UUID target = watched.get(17);
        StreamEvent stored = new StreamEvent(target, 1, event(1).envelope());
        readModel.store(stored);
        emitter.emit(CommittedStreamEventsQuery.class, hub -> true, CommittedStreamEvent.opening(target, 1,
                StreamKind.AUDIT, () -> {
                    opened.incrementAndGet();
                    return stored.envelope();
                }));

        await().atMost(Duration.ofSeconds(5)).until(() -> sinks.get(17).sequences.size() == 1);
        assertThat(opened).as("envelopes opened: only the watched conversation's").hasValue(1);
        for (int i = 0; i < sinks.size(); i++) {
            assertThat(sinks.get(i).sequences).as("conversation " + i).hasSize(i == 17 ? 1 : 0);
        }
    }

    private void project(long sequence) {
        StreamEvent event = event(sequence);
        readModel.store(event);
        emitter.emit(CommittedStreamEventsQuery.class, hub -> true, CommittedStreamEvent.of(event));
    }

    private StreamEvent event(long sequence) {
        StreamEnvelope envelope = new StreamEnvelope(StreamKind.AUDIT, sequence, "USER_INPUT",
                "2026-01-01T00:00:00Z", JsonNodeFactory.instance.objectNode(), null);
        return new StreamEvent(conversationId, sequence, envelope);
    }

    /** What {@code audit_event} answers, kept in memory. */
    static final class ReadModel implements StreamHistory {
        private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean unavailable;

        void store(StreamEvent event) {
            events.add(event);
        }

        @Override
        public List<StreamEvent> after(UUID conversationId, long afterSequence, int limit) {
            if (unavailable) {
                throw new IllegalStateException("read model unavailable");
            }
            return events.stream()
                    .filter(e -> e.conversationId().equals(conversationId) && e.sequence() > afterSequence)
                    .limit(limit)
                    .toList();
        }

        @Override
        public long head(UUID conversationId) {
            return events.stream().filter(e -> e.conversationId().equals(conversationId))
                    .mapToLong(StreamEvent::sequence).max().orElse(0);
        }

        @QueryHandler
        List<CommittedStreamEvent> handle(CommittedStreamEventsQuery query) {
            return List.of();
        }
    }

    /** A transport that records what it is given; with a latch, it blocks on the first event like a stuck client. */
    static final class RecordingSink implements StreamSink {
        static final String TRANSPORT = "test";
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        final CountDownLatch blockUntil;
        volatile Long connectedAt;
        volatile CloseReason closedBy;

        RecordingSink(CountDownLatch blockUntil) {
            this.blockUntil = blockUntil;
        }

        @Override
        public String transport() {
            return TRANSPORT;
        }

        @Override
        public void connected(long position) {
            connectedAt = position;
        }

        @Override
        public void event(StreamEvent event) {
            if (blockUntil != null) {
                try {
                    blockUntil.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sequences.add(event.sequence());
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void closed(CloseReason reason, long lastSent) {
            closedBy = reason;
        }
    }
}
