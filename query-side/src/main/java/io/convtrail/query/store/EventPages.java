package io.convtrail.query.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The event store read in large pages, for a rebuild: one query per page instead of Axon's
 * 100-event fetches, each event deserialised at most once however many projections handle it (the
 * payload stays unread until a handler needs it; a stage event's is read without Jackson's databind,
 * {@link PageSerializer}), stamped with its global index
 * ({@link PositionedEvents#GLOBAL_INDEX}) and carrying the gap-aware token Axon's own JDBC storage
 * engine would give it: an index skipped in the store (a transaction still in flight, or rolled
 * back) becomes a gap of the tokens after it, so the processors that continue from such a token
 * read the event if it commits later. Gaps follow the engine's defaults, which the service keeps:
 * at most {@link #MAX_GAP_OFFSET} below the index, and dropped once an event after them is older
 * than {@link #GAP_TIMEOUT} (the transaction that held the index is then taken for rolled back).
 */
@Component
public class EventPages {

    static final int MAX_GAP_OFFSET = 10_000;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(60);

    /** A page's events in global order, and the token of its last event (the token it started from if empty). */
    public record Page(List<TrackedEventMessage<?>> events, GapAwareTrackingToken last) {

        public static final Page EMPTY = new Page(List.of(), null);
    }

    private final EventPositions positions;
    private final Serializer serializer;
    private final ObjectProvider<EventUpcaster> upcasters;
    private final Clock clock;
    private volatile EventUpcaster chain;

    public EventPages(EventPositions positions, @Qualifier("eventSerializer") Serializer serializer,
                      ObjectProvider<EventUpcaster> upcasters, Clock clock) {
        this.positions = positions;
        this.serializer = new PageSerializer(serializer);
        this.upcasters = upcasters;
        this.clock = clock;
    }

    /** Up to {@code size} events after {@code from} (null: from the first event). */
    public Page after(GapAwareTrackingToken from, int size) {
        List<TrackedDomainEventData<byte[]>> rows = new ArrayList<>(size);
        Instant gapsExpireBefore = clock.instant().minus(GAP_TIMEOUT);
        GapAwareTrackingToken[] token = {from};
        positions.pageAfter(from == null ? LOWEST_GLOBAL_SEQUENCE - 1 : from.getIndex(), size, rs -> {
            long index = rs.getLong(1);
            String timestamp = rs.getString(6);
            token[0] = advanced(token[0], index, timestamp, gapsExpireBefore);
            rows.add(new TrackedDomainEventData<>(token[0], new GenericDomainEventEntry<>(rs.getString(5),
                    rs.getString(3), rs.getLong(4), rs.getString(2), timestamp, rs.getString(7), rs.getString(8),
                    rs.getBytes(9), rs.getBytes(10))));
        });
        List<TrackedEventMessage<?>> events = new ArrayList<>(rows.size());
        EventUtils.upcastAndDeserializeTrackedEvents(rows.stream(), serializer, upcasterChain())
                .forEach(event -> events.add(stamped(event)));
        return new Page(events, token[0]);
    }

    /** The token of the event at {@code index}, read right after the one {@code previous} belongs to. */
    static GapAwareTrackingToken advanced(GapAwareTrackingToken previous, long index, String timestamp,
                                          Instant gapsExpireBefore) {
        GapAwareTrackingToken token = previous == null
                ? GapAwareTrackingToken.newInstance(index, LongStream.range(
                        Math.max(Math.min(LOWEST_GLOBAL_SEQUENCE, index), index - MAX_GAP_OFFSET), index).boxed().toList())
                : previous.advanceTo(index, MAX_GAP_OFFSET);
        if (token.hasGaps() && Instant.parse(timestamp).isBefore(gapsExpireBefore)) {
            return token.withGapsTruncatedAt(index);
        }
        return token;
    }

    private static TrackedEventMessage<?> stamped(TrackedEventMessage<?> event) {
        long index = event.trackingToken().position().orElseThrow();
        if (event instanceof DomainEventMessage<?> stored) {
            // metadata and timestamp stay unread until a handler reads them, once for all projections
            return new StampedEvent<>(event.trackingToken(), stored, index);
        }
        // Axon's tracked messages keep their token (and their unread payload) when metadata is added
        return (TrackedEventMessage<?>) event.andMetaData(Map.of(PositionedEvents.GLOBAL_INDEX, index));
    }

    private EventUpcaster upcasterChain() {
        EventUpcaster built = chain;
        if (built == null) {
            built = new EventUpcasterChain(upcasters.orderedStream().toList());
            chain = built;
        }
        return built;
    }
}
