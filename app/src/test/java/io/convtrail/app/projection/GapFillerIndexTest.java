package io.convtrail.app.projection;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.query.store.GlobalIndexResolverFactory;
import io.convtrail.query.store.PositionedEvents;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event that fills a gap late (its transaction committed after a later one) is stamped with its own
 * global index, read off the stream's tokens, as the store holds it: on real PostgreSQL, with the
 * application's event store, its private readers and its shared cache. A stream of the application's store
 * follows the shared cache when its token is found there, and reads the store itself otherwise (in the
 * suite's shared context, after other classes' rewinds, no stream may follow the cache); each test runs
 * on that store as it is, and on a store over the same engine whose streams always read it themselves.
 */
@ConvtrailIntegrationTest
class GapFillerIndexTest {

    @Autowired
    EventStore eventStore;

    @Autowired
    PositionedEvents positioned;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventStorageEngine engine;

    /** The streams read: the application's own, or ones that never follow the shared cache. */
    enum Streams { APPLICATION, PRIVATE }

    /** Runs {@code test} on the streams named, closing what it opened for them. */
    private void on(Streams streams, ThrowingConsumer<PositionedEvents> test) throws Throwable {
        if (streams == Streams.APPLICATION) {
            test.accept(positioned);
            return;
        }
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(engine)
                .optimizeEventConsumption(false).build();
        try {
            test.accept(new PositionedEvents(store));
        } finally {
            store.shutDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Streams.class)
    void anEventCommittedAfterALaterOneIsStampedWithItsOwnIndex(Streams streams) throws Throwable {
        on(streams, this::anEventCommittedAfterALaterOneIsStampedWithItsOwnIndex);
    }

    private void anEventCommittedAfterALaterOneIsStampedWithItsOwnIndex(PositionedEvents source) throws Exception {
        String early = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createHeadToken())) {
            List<TrackedEventMessage<?>> read = new ArrayList<>();
            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                eventStore.publish(event(early, 0)); // its index taken, its row not committed
                CompletableFuture.runAsync(() -> eventStore.publish(event(late, 0))).join();
                // the later event, read while the earlier one is a gap, on another thread as a projection reads:
                // a stream that reads the store itself queries it in its thread's transaction, and this one would
                // see its own uncommitted earlier event
                read.add(CompletableFuture.supplyAsync(() -> next(stream), reader).join());
            });
            // the earlier event, filling the gap
            read.add(CompletableFuture.supplyAsync(() -> next(stream), reader).join());

            assertThat(read).extracting(event -> ((DomainEventMessage<?>) event).getAggregateIdentifier())
                    .containsExactly(late, early);
            long earlyIndex = storedIndex(early);
            assertThat(read.get(1).trackingToken().position()).as("a gap filler's token is at the later event")
                    .hasValue(storedIndex(late));
            assertThat(GlobalIndexResolverFactory.globalIndex(read.get(1))).isEqualTo(earlyIndex);
            assertThat(GlobalIndexResolverFactory.globalIndex(read.get(0))).isEqualTo(storedIndex(late));
        } finally {
            reader.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Streams.class)
    void everyEventOfConcurrentCommitsIsStampedWithTheIndexTheStoreHolds(Streams streams) throws Throwable {
        on(streams, this::everyEventOfConcurrentCommitsIsStampedWithTheIndexTheStoreHolds);
    }

    private void everyEventOfConcurrentCommitsIsStampedWithTheIndexTheStoreHolds(PositionedEvents source)
            throws Exception {
        int writers = 16;
        int commitsEach = 25;
        int events = writers * commitsEach;
        List<String> aggregates = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            aggregates.add(UUID.randomUUID().toString());
        }
        Set<String> ours = Set.copyOf(aggregates);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 3);
        try {
            // three streams read while the commits go in, as the processors' segments do
            List<CompletableFuture<List<Read>>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createHeadToken());
                readers.add(CompletableFuture.supplyAsync(() -> {
                    try (stream) {
                        List<Read> read = new ArrayList<>();
                        while (read.size() < events) {
                            TrackedEventMessage<?> event = next(stream);
                            if (event instanceof DomainEventMessage<?> domain && ours.contains(domain.getAggregateIdentifier())) {
                                read.add(new Read(domain.getAggregateIdentifier() + "/" + domain.getSequenceNumber(),
                                        GlobalIndexResolverFactory.globalIndex(event),
                                        event.trackingToken().position().orElseThrow()));
                            }
                        }
                        return read;
                    }
                }, pool));
            }
            TransactionTemplate template = new TransactionTemplate(transactions);
            List<CompletableFuture<Void>> written = new ArrayList<>();
            for (String aggregate : aggregates) {
                written.add(CompletableFuture.runAsync(() -> {
                    for (int sequence = 0; sequence < commitsEach; sequence++) {
                        int at = sequence;
                        // the transaction held open a little after its insert: later commits overtake it
                        template.executeWithoutResult(status -> {
                            eventStore.publish(event(aggregate, at));
                            sleepUpTo(4);
                        });
                    }
                }, pool));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            Map<String, Long> stored = storedIndexes(aggregates);
            assertThat(stored).hasSize(events);

            int fillers = 0;
            for (CompletableFuture<List<Read>> reader : readers) {
                List<Read> read = reader.get(2, TimeUnit.MINUTES);
                assertThat(read).hasSize(events);
                for (Read event : read) {
                    assertThat(event.stamped()).as("index of %s", event.key()).isEqualTo(stored.get(event.key()));
                    if (event.tokenPosition() != stored.get(event.key())) {
                        fillers++;
                    }
                }
            }
            assertThat(fillers).as("events delivered late to fill a gap").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /** An event as a stream delivered it: its key (aggregate/sequence), its stamp, its token's position. */
    private record Read(String key, Long stamped, long tokenPosition) {
    }

    /**
     * The stream's next event, asked for as a projection's reader asks (a wait, again and again): a
     * stream that cannot join the store's shared cache reads the store itself, and its wait ends early only
     * when the cache's reader reads an event, which it does only while some stream follows the cache. In the
     * suite's shared context, after the rewinds and rebuilds of other classes, none may: one long wait then
     * sleeps through events already there. The wait is short so that such a stream also reads while the
     * commits go in, and so sees gaps filled late.
     */
    private static TrackedEventMessage<?> next(BlockingStream<TrackedEventMessage<?>> stream) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!stream.hasNextAvailable(5, TimeUnit.MILLISECONDS)) {
                assertThat(System.nanoTime() - deadline).as("an event within 30 s").isNegative();
            }
            return stream.nextAvailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUpTo(int millis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(millis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long storedIndex(String aggregate) {
        return jdbc.sql("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = :id AND sequencenumber = 0")
                .param("id", aggregate).query(Long.class).single();
    }

    private Map<String, Long> storedIndexes(List<String> aggregates) {
        Map<String, Long> stored = new HashMap<>();
        jdbc.sql("SELECT aggregateidentifier, sequencenumber, globalindex FROM domainevententry "
                        + "WHERE aggregateidentifier IN (:ids)")
                .param("ids", aggregates)
                .query(rs -> {
                    stored.put(rs.getString(1) + "/" + rs.getLong(2), rs.getLong(3));
                });
        return stored;
    }

    private static DomainEventMessage<?> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Probe", aggregate, sequence, Map.of("n", (int) sequence));
    }
}
