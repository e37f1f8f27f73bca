package io.convtrail.query.store;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The event store as the projections' processors read it (their {@code source}): each event carries
 * its own global index in its metadata ({@value #GLOBAL_INDEX}), so a projection keys its rows
 * without a query per event. The index comes from the stream's tracking tokens: an event whose token
 * moves the stream's index forward sits at that index. An event delivered late to fill a gap (a
 * transaction that committed after a later one) carries a token at the highest index seen so far,
 * not its own; its index is the gap it filled, read off its token and the one before it
 * ({@link #filledGap}). Both need the token of the event just before it in the stream, which only
 * the stream has: a processor's segment is handed only its share of the events. A filler whose gap
 * the tokens do not tell for sure stays unstamped, and
 * {@link EventPositions#globalIndex(Long, java.util.UUID, long)} looks it up.
 * Streams are opened on the store itself, so a stream at the head still reads the store's shared
 * cache (Axon's {@code EmbeddedEventStore} optimisation), and the payload stays unread until a
 * handler needs it.
 * <p>
 * Every segment thread of every processor reads every event, and most of them skip it (another
 * segment's). So an event is stamped once, not once per stream: the stamped copy of a recent event
 * is shared through a small table keyed by the store's own event object (which every stream at the
 * head reads), and a peeked event is not stamped at all: a processor peeks only to read the next
 * event's token, and takes the event itself with {@code nextAvailable}.
 */
@Component(PositionedEvents.BEAN)
public class PositionedEvents implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** The bean name {@code axon.eventhandling.processors.<name>.source} refers to. */
    public static final String BEAN = "positionedEvents";
    public static final String GLOBAL_INDEX = "convtrail.globalIndex";

    /**
     * Axon's {@code maxGapOffset}, which the event store's engine keeps: a filled gap this far behind
     * the stream's index is looked up, not read off the tokens ({@link #filledGap}).
     */
    public static final int MAX_GAP_OFFSET = 10_000;

    /** Stamped events shared between streams: enough for the events all processors read at about the same time. */
    private static final int SHARED_STAMPS = 4096;

    private final EventStore store;
    private final AtomicReferenceArray<Stamp> stamps = new AtomicReferenceArray<>(SHARED_STAMPS);

    public PositionedEvents(EventStore store) {
        this.store = store;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken from) {
        return new Stamping(store.openStream(from), from);
    }

    /** A stored event and its stamped copy. */
    private record Stamp(TrackedEventMessage<?> stored, TrackedEventMessage<?> stamped) {
    }

    /**
     * The event stamped with its index: the copy another stream made of the same stored event, else a new
     * one, which is shared in turn. The stamp is the same for every stream that finds the index, so sharing
     * needs only the identity of the stored event.
     */
    private TrackedEventMessage<?> stamped(TrackedEventMessage<?> event, long index) {
        int slot = (int) Math.floorMod(index, (long) SHARED_STAMPS);
        Stamp shared = stamps.get(slot);
        if (shared != null && shared.stored() == event) {
            return shared.stamped();
        }
        TrackedEventMessage<?> stamped;
        if (event instanceof DomainEventMessage<?> domain) {
            stamped = new StampedEvent<>(event.trackingToken(), domain, index);
        } else if (event.andMetaData(Map.of(GLOBAL_INDEX, index)) instanceof TrackedEventMessage<?> tracked) {
            stamped = tracked;
        } else {
            return event;
        }
        stamps.set(slot, new Stamp(event, stamped));
        return stamped;
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    /**
     * The global index of the event whose token is {@code after}, when the token says it: the
     * stream's position moved forward from {@code before} (the previous event's token, or the one the
     * stream was opened at; null: the stream starts at the first event). Empty for a gap filled late.
     */
    static OptionalLong ownIndex(TrackingToken before, TrackingToken after) {
        OptionalLong at = after == null ? OptionalLong.empty() : after.position();
        if (at.isEmpty() || before == null) {
            return at;
        }
        OptionalLong was = before.position();
        if (was.isPresent() && at.getAsLong() > was.getAsLong()) {
            return at;
        }
        return before instanceof GapAwareTrackingToken previous && after instanceof GapAwareTrackingToken next
                ? filledGap(previous, next) : OptionalLong.empty();
    }

    /**
     * The index of the gap an event filled late, from its token ({@code after}) and the token before it
     * ({@code before}); empty where the tokens do not tell it for sure. Axon's
     * {@link GapAwareTrackingToken#advanceTo} leaves the index where it was, removes the filled index
     * from the gaps and drops only gaps below a truncation point at or below it (the gaps older than
     * {@code maxGapOffset} behind the index, or all below it when the event is older than the gap
     * timeout); the store's gap cleaning between two reads drops gaps below a point too. So the filled
     * index is the highest gap of {@code before} that {@code after} lacks.
     * <p>
     * That holds when {@code before} is the token {@code after} was advanced from. A stream of the
     * {@code EmbeddedEventStore} that moves from its private reader to the shared cache continues at
     * the cache node whose previous token <em>equals</em> its own, and two gap-aware tokens are equal
     * when their gaps agree above their truncation points: the two may differ in the gaps at or below
     * the higher truncation point {@code T}. The highest missing gap is still right whenever it is
     * above {@code T} (a gap above {@code T} is in both tokens, so the filled one is in {@code before},
     * and every gap above it stays in {@code after}). It can be wrong only where it is at or below
     * {@code T} and one of the tokens holds a gap exactly at its own truncation point, which only the
     * {@code maxGapOffset} truncation leaves (the other truncations cut at a stored event's index):
     * then the point, and so the wrong answer, is at least {@value #MAX_GAP_OFFSET} below the index.
     * A filled gap that far behind is left to the lookup. The event store's engine keeps Axon's
     * {@code maxGapOffset} of {@value #MAX_GAP_OFFSET}; a larger one keeps this true, a smaller one would not.
     */
    static OptionalLong filledGap(GapAwareTrackingToken before, GapAwareTrackingToken after) {
        if (after.getIndex() != before.getIndex()) {
            return OptionalLong.empty();
        }
        SortedSet<Long> gaps = before.getGaps();
        SortedSet<Long> left = after.getGaps();
        if (!gaps.containsAll(left)) {
            return OptionalLong.empty();
        }
        // the highest gap of before that after lacks: the gaps above it are all still in after
        long filled = -1;
        for (long gap : gaps) {
            if (!left.contains(gap)) {
                filled = gap;
            }
        }
        return filled >= 0 && filled > before.getIndex() - MAX_GAP_OFFSET ? OptionalLong.of(filled) : OptionalLong.empty();
    }

    private final class Stamping implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> events;
        private TrackingToken last;

        Stamping(BlockingStream<TrackedEventMessage<?>> events, TrackingToken from) {
            this.events = events;
            this.last = from;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return events.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return events.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> next = events.nextAvailable();
            OptionalLong index = ownIndex(last, next.trackingToken());
            last = next.trackingToken();
            return index.isPresent() ? stamped(next, index.getAsLong()) : next;
        }

        // skipMessagesWithPayloadTypeOf is left a no-op: a skipped event would hide the token before a gap's filler

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return events.setOnAvailableCallback(callback);
        }

        @Override
        public void close() {
            events.close();
        }
    }
}
