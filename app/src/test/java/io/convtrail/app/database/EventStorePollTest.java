package io.convtrail.app.database;

import io.convtrail.app.ConvtrailIntegrationTest;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events another node appends reach this node's projections within the store's poll interval, not
 * Axon's second: they are appended here straight through the storage engine, as another node's
 * append would be, so nothing tells this node's event store about them and only its reader's next
 * look finds them. Each is appended just after the reader found the previous one, at the start of its
 * wait, so the time each takes to arrive is about one whole wait. Its own context (and database):
 * the foreign events stay out of the shared store.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = "convtrail.event-store.poll-interval=100ms")
class EventStorePollTest {

    private static final int EVENTS = 5;

    @Autowired
    EventStore store;

    @Autowired
    EventStorageEngine engine;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void anotherNodesEventsAreReadWithinThePollInterval() throws Exception {
        List<Long> waits = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(store.createHeadToken())) {
            while (stream.hasNextAvailable(300, TimeUnit.MILLISECONDS)) {
                stream.nextAvailable();
            }
            for (int i = 0; i < EVENTS; i++) {
                appendElsewhere();
                long appended = System.nanoTime();
                assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d read", i).isTrue();
                waits.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appended));
                assertThat(stream.nextAvailable().getPayload()).isEqualTo("appended elsewhere");
            }
        }
        waits.sort(null);
        // with Axon's default wait of a second each took 900-1,000 ms
        assertThat(waits.get(EVENTS / 2)).as("median wait of %s ms", waits).isLessThan(500);
    }

    private void appendElsewhere() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> engine.appendEvents(
                new GenericDomainEventMessage<>("AnotherNode", UUID.randomUUID().toString(), 0, "appended elsewhere")));
    }
}
