package io.convtrail.app.database;

import io.convtrail.app.ConvtrailIntegrationTest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The events of one commit go in as one statement: in order, whole, and refused whole on a conflict. */
@ConvtrailIntegrationTest
class EventStoreAppendTest {

    @Autowired
    EventStore eventStore;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCommitsEventsAreStoredInSequenceOrderAndReadBackAsWritten() {
        String aggregate = UUID.randomUUID().toString();
        eventStore.publish(events(aggregate, 0, 40));

        assertThat(jdbc.sql("SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = :id "
                        + "ORDER BY globalindex").param("id", aggregate).query(Long.class).list())
                .containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
        List<? extends DomainEventMessage<?>> read = eventStore.readEvents(aggregate).asStream().toList();
        assertThat(read).hasSize(40);
        assertThat(read.get(17).getPayload()).isEqualTo(Map.of("n", 17));
        assertThat(read.get(17).getMetaData()).containsEntry("note", "17");
        assertThat(read.get(17).getType()).isEqualTo("Probe");
    }

    @Test
    void aCommitThatReusesASequenceNumberIsAConcurrencyConflictAndStoresNothing() {
        String aggregate = UUID.randomUUID().toString();
        eventStore.publish(events(aggregate, 0, 10));
        List<DomainEventMessage<?>> overlapping = events(aggregate, 8, 5); // 8 and 9 are taken

        assertThatThrownBy(() -> eventStore.publish(overlapping)).isInstanceOf(ConcurrencyException.class);
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = :id")
                .param("id", aggregate).query(Long.class).single()).isEqualTo(10);
    }

    @Test
    void eachRowKeepsItsOwnMetadataAndTimestampWhereNeighboursShareOrDiffer() {
        String aggregate = UUID.randomUUID().toString();
        Instant start = Instant.parse("2026-11-30T12:00:00.123456Z");
        // runs of equal metadata and of one millisecond, broken by differing rows
        List<MetaData> metaData = List.of(MetaData.with("trace", "a"), MetaData.with("trace", "a"),
                MetaData.with("trace", "b"), MetaData.with("trace", "a"), MetaData.emptyInstance(),
                MetaData.with("trace", "a"));
        List<Instant> timestamps = List.of(start, start.plusNanos(400_000), start.plusMillis(1), start.plusMillis(1),
                start, start.plusSeconds(61));
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < metaData.size(); i++) {
            events.add(new GenericDomainEventMessage<>("Probe", aggregate, i, Map.of("n", i), metaData.get(i),
                    UUID.randomUUID().toString(), timestamps.get(i)));
        }
        eventStore.publish(events);

        List<? extends DomainEventMessage<?>> read = eventStore.readEvents(aggregate).asStream().toList();
        assertThat(read).extracting(DomainEventMessage::getMetaData).containsExactlyElementsOf(metaData);
        assertThat(read).extracting(DomainEventMessage::getTimestamp).containsExactlyElementsOf(
                timestamps.stream().map(t -> t.truncatedTo(ChronoUnit.MILLIS)).toList());
    }

    private static List<DomainEventMessage<?>> events(String aggregate, long firstSequence, int count) {
        return LongStream.range(firstSequence, firstSequence + count)
                .<DomainEventMessage<?>>mapToObj(sequence -> new GenericDomainEventMessage<>("Probe", aggregate,
                        sequence, new LinkedHashMap<>(Map.of("n", (int) sequence)),
                        MetaData.with("note", Long.toString(sequence))))
                .toList();
    }
}
