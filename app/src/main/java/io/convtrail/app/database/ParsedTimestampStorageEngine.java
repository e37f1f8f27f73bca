package io.convtrail.app.database;

import io.convtrail.query.json.IsoInstants;
import io.convtrail.query.store.PositionedEvents;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC engine, except that a tracked event's stored timestamp is parsed once, without a
 * {@code DateTimeFormatter}. Axon's entry keeps the text and parses it on every
 * {@code getTimestamp()}: once in the store's reader thread for the gap check below, and once more
 * for the message; each parse through {@code DateTimeFormatter} was a third of that thread's CPU
 * (docs/performance.md, branch {@code turn6}). The token is computed as Axon's
 * {@code getTrackedEventData} computes it (Axon 4.13), with the gap settings this engine was built with.
 */
final class ParsedTimestampStorageEngine extends JdbcEventStorageEngine {

    /**
     * Axon's defaults, set on the builder by {@link #withGapSettings()} so that this class knows them. The
     * projections' stream reads a gap filler's index off its tokens only within the gap offset
     * ({@link PositionedEvents#filledGap}), so the offset is the one it assumes.
     */
    static final int MAX_GAP_OFFSET = PositionedEvents.MAX_GAP_OFFSET;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    private final EventSchema schema;

    ParsedTimestampStorageEngine(Builder builder, EventSchema schema) {
        super(builder.schema(schema));
        this.schema = schema;
    }

    /** Axon's builder with the gap settings this engine's token computation uses. */
    static Builder withGapSettings() {
        return JdbcEventStorageEngine.builder()
                .maxGapOffset(MAX_GAP_OFFSET)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .gapTimeout(GAP_TIMEOUT_MILLIS);
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        Entry<?> event = new Entry<>(resultSet.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier,
                readTimeStamp(resultSet, schema.timestampColumn()),
                resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
        boolean allowGaps = event.getTimestamp().isAfter(Instant.now().minusMillis(GAP_TIMEOUT_MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, event);
    }

    /** Axon's entry with its timestamp parsed once, when it is read. */
    static final class Entry<T> extends GenericDomainEventEntry<T> {

        private final Instant timestamp;

        Entry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
              Object timestamp, String payloadType, String payloadRevision, T payload, T metaData) {
            super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, timestamp, payloadType,
                    payloadRevision, payload, metaData);
            this.timestamp = parse(timestamp);
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        /** As Axon reads it; the text Axon writes ({@code …T…Z}, milliseconds) without a formatter. */
        static Instant parse(Object stored) {
            String text = stored instanceof TemporalAccessor accessor
                    ? DateTimeUtils.formatInstant(accessor) : stored.toString();
            Instant parsed = IsoInstants.parse(text);
            return parsed != null ? parsed : DateTimeUtils.parseInstant(text);
        }
    }
}
