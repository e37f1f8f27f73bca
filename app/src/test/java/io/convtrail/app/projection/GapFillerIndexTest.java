package io.convtrail.app.projection;

import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.query.store.GlobalIndexResolverFactory;
import io.convtrail.query.store.PositionedEvents;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
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
 * application's event store, its private readers and its shared cache.
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

    @Test
    void anEventCommittedAfterALaterOneIsStampedWithItsOwnIndex() throws Exception {
        String early = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        try (BlockingStream<TrackedEventMessage<?>> stream = positioned.openStream(positioned.createHeadToken())) {
            List<TrackedEventMessage<?>> read = new ArrayList<>();
            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                eventStore.publish(event(early, 0)); // its index taken, its row not committed
                CompletableFuture.runAsync(() -> eventStore.publish(event(late, 0))).join();
                read.add(next(stream)); // the later event, read while the earlier one is a gap
            });
            read.add(next(stream)); // the earlier event, filling the gap

            assertThat(read).extracting(event -> ((DomainEventMessage<?>) event).getAggregateIdentifier())
                    .containsExactly(late, early);
            long earlyIndex = storedIndex(early);
            assertThat(read.get(1).trackingToken().position()).as("a gap filler's token is at the later event")
                    .hasValue(storedIndex(late));
            assertThat(GlobalIndexResolverFactory.globalIndex(read.get(1))).isEqualTo(earlyIndex);
            assertThat(GlobalIndexResolverFactory.globalIndex(read.get(0))).isEqualTo(storedIndex(late));
        }
    }

    @Test
    void everyEventOfConcurrentCommitsIsStampedWithTheIndexTheStoreHolds() throws Exception {
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
                BlockingStream<TrackedEventMessage<?>> stream = positioned.openStream(positioned.createHeadToken());
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

    private static TrackedEventMessage<?> next(BlockingStream<TrackedEventMessage<?>> stream) {
        try {
            assertThat(stream.hasNextAvailable(30, TimeUnit.SECONDS)).as("an event within 30 s").isTrue();
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
